using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Once;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Adapters.Tests.Contracts;

/// <summary>The once-ledger on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableOnceLedgerContractTests(AzuriteFixture azurite) : OnceLedgerContract
{
    protected override IOnceLedger Ledger { get; } = new TableOnceLedger(azurite.Tables());
}

/// <summary>The referral table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableReferralSendContractTests(AzuriteFixture azurite) : ReferralSendContract
{
    protected override IReferralStore Store { get; } = new TableReferralStore(azurite.Tables());
}

/// <summary>The melding table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableMeldingStoreContractTests(AzuriteFixture azurite) : MeldingStoreContract
{
    protected override IMeldingStore Store { get; } = new TableMeldingStore(azurite.Tables());
}
