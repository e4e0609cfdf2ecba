using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Core.Tests.Contracts;

/// <summary>The in-memory once-ledger the core tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeOnceLedgerContractTests : OnceLedgerContract
{
    protected override IOnceLedger Ledger { get; } = new FaultyOnceLedger(new FaultPlan());
}

/// <summary>The in-memory referral store the core tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeReferralSendContractTests : ReferralSendContract
{
    protected override IReferralStore Store { get; } = new FaultyReferralStore(new FaultPlan());
}

/// <summary>The in-memory melding store the intake tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeMeldingStoreContractTests : MeldingStoreContract
{
    protected override IMeldingStore Store { get; } = new InMemoryMeldingStore();
}
