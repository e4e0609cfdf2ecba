using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
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

/// <summary>The in-memory digest store the digest tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeDigestStoreContractTests : DigestStoreContract
{
    protected override IDigestStore Store { get; } = new InMemoryDigestStore();
}
