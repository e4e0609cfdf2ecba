using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Once;
using FunctionsHub.Core;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Adapters.Tests.Contracts;

/// <summary>The once-ledger on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableOnceLedgerContractTests(AzuriteFixture azurite) : OnceLedgerContract
{
    protected override IOnceLedger Ledger { get; } = new TableOnceLedger(azurite.Tables());
}

/// <summary>Watermarks in the once table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableWatermarksContractTests(AzuriteFixture azurite) : WatermarksContract
{
    protected override IWatermarks Watermarks { get; } = new TableWatermarks(azurite.Tables());
}

/// <summary>The child files table on Azurite, its entity-group transactions included, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableChildFilesContractTests(AzuriteFixture azurite) : ChildFilesContract
{
    protected override IChildFiles Files { get; } = new TableChildFiles(azurite.Tables());
}

/// <summary>The instroom table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableInstroomLogContractTests(AzuriteFixture azurite) : InstroomLogContract
{
    protected override IInstroomLog Log { get; } = new TableInstroomLog(azurite.Tables());
}

/// <summary>The melding table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableMeldingStoreContractTests(AzuriteFixture azurite) : MeldingStoreContract
{
    protected override IMeldingStore Store { get; } = new TableMeldingStore(azurite.Tables());
}

/// <summary>The audit table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableAuditTrailContractTests(AzuriteFixture azurite) : AuditTrailContract
{
    protected override IAuditTrail Audit { get; } = new TableAuditTrail(azurite.Tables());
}

/// <summary>The digest table on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableDigestStoreContractTests(AzuriteFixture azurite) : DigestStoreContract
{
    protected override IDigestStore Store { get; } = new TableDigestStore(azurite.Tables());
}

/// <summary>The referrer directory on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableReferrerDirectoryContractTests(AzuriteFixture azurite) : ReferrerDirectoryContract
{
    protected override IReferrerDirectory Directory { get; } = new TableReferrerDirectory(azurite.Tables());
}

/// <summary>Campaign sends on Azurite, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableCampaignSendsContractTests(AzuriteFixture azurite) : CampaignSendsContract
{
    protected override ICampaignSends Sends { get; } = new TableCampaignSends(azurite.Tables());
}

/// <summary>The match follow-ups table on Azurite (both its rows per match), held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableMatchFollowUpsContractTests(AzuriteFixture azurite) : MatchFollowUpsContract
{
    protected override IMatchFollowUps FollowUps { get; } = new TableMatchFollowUps(azurite.Tables());
}

/// <summary>The retention index on Azurite, its months read as one key range, held to the same contract as the core tests' fake.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableRetentionIndexContractTests(AzuriteFixture azurite) : RetentionIndexContract
{
    protected override IRetentionIndex Index { get; } = new TableRetentionIndex(azurite.Tables());
}
