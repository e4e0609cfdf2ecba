using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Core.Tests.Contracts;

/// <summary>The in-memory once-ledger the core tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeOnceLedgerContractTests : OnceLedgerContract
{
    protected override IOnceLedger Ledger { get; } = new FaultyOnceLedger(new FaultPlan());
}

/// <summary>The in-memory child files routing and consent recording are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeChildFilesContractTests : ChildFilesContract
{
    protected override IChildFiles Files { get; } = new FaultyChildFiles(new FaultPlan());
}

/// <summary>The in-memory instroom routing, status, digest and deadlines are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeInstroomLogContractTests : InstroomLogContract
{
    protected override IInstroomLog Log { get; } = new FaultyInstroomLog(new FaultPlan());
}

/// <summary>The in-memory melding store the intake tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeMeldingStoreContractTests : MeldingStoreContract
{
    protected override IMeldingStore Store { get; } = new InMemoryMeldingStore();
}

/// <summary>The in-memory audit trail routing and withdrawal notices are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeAuditTrailContractTests : AuditTrailContract
{
    protected override IAuditTrail Audit { get; } = new FaultyAuditTrail(new FaultPlan());
}

/// <summary>The in-memory digest store the digest tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeDigestStoreContractTests : DigestStoreContract
{
    protected override IDigestStore Store { get; } = new InMemoryDigestStore();
}
