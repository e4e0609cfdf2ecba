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

/// <summary>The in-memory consent registry routing and consent recording are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeConsentStoreContractTests : ConsentStoreContract
{
    protected override IConsentStore Store { get; } = new FaultyConsentStore(new FaultPlan());
}

/// <summary>The in-memory child index routing and consent recording are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeChildIndexContractTests : ChildIndexContract
{
    protected override IChildIndex Index { get; } = new FaultyChildIndex(new FaultPlan());
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
