using FunctionsHub.Core.Campaigns;

namespace FunctionsHub.Testing.Contracts;

/// <summary>Records a referrer the way routing does: as the latest melding of their partner.</summary>
public static class ReferrerDirectoryTesting
{
    public static Task RecordReferrerAsync(this IReferrerDirectory directory, DirectoryReferrer referrer, CancellationToken cancellationToken) =>
        directory.RecordMeldingAsync(referrer.PartnerId, referrer.LastMeldingAt, referrer, cancellationToken);
}

/// <summary>What every <see cref="IReferrerDirectory"/> must do: the in-memory fake and the table adapter alike.</summary>
public abstract class ReferrerDirectoryContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 15, 0, TimeSpan.Zero);

    protected abstract IReferrerDirectory Directory { get; }

    // A partner and key of their own per test, so the contract can run on one shared table.
    private static string NewPartner() => $"obs-{Guid.NewGuid():N}"[..30];

    private static string NewKey() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_recorded_referrer_is_listed_under_their_partner_only()
    {
        var partner = NewPartner();
        var referrer = new DirectoryReferrer(partner, NewKey(), "J. de Vries", "j.devries@school.example", At);
        await Directory.RecordReferrerAsync(referrer, CancellationToken.None);

        Assert.Equal([referrer], await Directory.OfPartnerAsync(partner, CancellationToken.None));
        Assert.Empty(await Directory.OfPartnerAsync(NewPartner(), CancellationToken.None));
    }

    [Fact]
    public async Task Recording_a_referrer_again_keeps_one_entry_with_the_latest_name_and_melding()
    {
        var partner = NewPartner();
        var key = NewKey();
        await Directory.RecordReferrerAsync(new DirectoryReferrer(partner, key, "J. de Vries", "j.devries@school.example", At), CancellationToken.None);
        var later = new DirectoryReferrer(partner, key, "Jeroen de Vries", "j.devries@school.example", At.AddDays(20));
        await Directory.RecordReferrerAsync(later, CancellationToken.None);

        Assert.Equal([later], await Directory.OfPartnerAsync(partner, CancellationToken.None));
    }

    [Fact]
    public async Task A_removed_referrer_is_gone_and_removing_again_is_no_error()
    {
        var partner = NewPartner();
        var referrer = new DirectoryReferrer(partner, NewKey(), "J. de Vries", "j.devries@school.example", At);
        await Directory.RecordReferrerAsync(referrer, CancellationToken.None);

        await Directory.RemoveAsync(referrer, CancellationToken.None);
        await Directory.RemoveAsync(referrer, CancellationToken.None);

        Assert.Empty(await Directory.OfPartnerAsync(partner, CancellationToken.None));
    }

    [Fact]
    public async Task A_partner_never_seen_is_quiet_since_the_first_look_and_stays_so_at_the_next()
    {
        var partner = NewPartner();

        var first = await Directory.ActivityAsync(partner, At, CancellationToken.None);
        var next = await Directory.ActivityAsync(partner, At.AddDays(1), CancellationToken.None);

        Assert.Equal(new PartnerActivity(partner, At, EverSent: false), first);
        Assert.Equal(first, next);
    }

    [Fact]
    public async Task A_melding_with_or_without_a_referrer_makes_the_partner_quiet_since_its_receipt_and_the_activity_is_no_referrer()
    {
        var partner = NewPartner();
        await Directory.ActivityAsync(partner, At, CancellationToken.None);
        var referrer = new DirectoryReferrer(partner, NewKey(), "J. de Vries", "j.devries@school.example", At.AddDays(3));

        await Directory.RecordMeldingAsync(partner, At.AddDays(3), referrer, CancellationToken.None);
        Assert.Equal(new PartnerActivity(partner, At.AddDays(3), EverSent: true), await Directory.ActivityAsync(partner, At.AddDays(4), CancellationToken.None));

        await Directory.RecordMeldingAsync(partner, At.AddDays(9), null, CancellationToken.None);
        Assert.Equal(new PartnerActivity(partner, At.AddDays(9), EverSent: true), await Directory.ActivityAsync(partner, At.AddDays(10), CancellationToken.None));
        Assert.Equal([referrer], await Directory.OfPartnerAsync(partner, CancellationToken.None));
    }

    [Fact]
    public async Task A_first_melding_of_a_partner_never_looked_at_counts_as_sent()
    {
        var partner = NewPartner();

        await Directory.RecordMeldingAsync(partner, At, null, CancellationToken.None);

        Assert.Equal(new PartnerActivity(partner, At, EverSent: true), await Directory.ActivityAsync(partner, At.AddDays(1), CancellationToken.None));
        Assert.Empty(await Directory.OfPartnerAsync(partner, CancellationToken.None));
    }

    [Fact]
    public async Task A_referrer_of_another_partner_is_refused_and_records_nothing()
    {
        var partner = NewPartner();
        var elsewhere = new DirectoryReferrer(NewPartner(), NewKey(), "J. de Vries", "j.devries@school.example", At);

        await Assert.ThrowsAsync<ArgumentException>(() => Directory.RecordMeldingAsync(partner, At, elsewhere, CancellationToken.None));

        Assert.Empty(await Directory.OfPartnerAsync(elsewhere.PartnerId, CancellationToken.None));
        Assert.False((await Directory.ActivityAsync(partner, At.AddDays(1), CancellationToken.None)).EverSent);
    }

    [Fact]
    public async Task An_unsubscribed_key_is_listed_once_however_often_it_unsubscribes_and_is_no_referrer_of_any_partner()
    {
        var key = NewKey();
        await Directory.UnsubscribeAsync(key, At, CancellationToken.None);
        await Directory.UnsubscribeAsync(key, At.AddHours(1), CancellationToken.None);

        Assert.Contains(key, await Directory.UnsubscribedAsync(CancellationToken.None));
        Assert.DoesNotContain(NewKey(), await Directory.UnsubscribedAsync(CancellationToken.None));
    }
}

/// <summary>What every <see cref="ICampaignSends"/> must do: the in-memory fake and the table adapter alike.</summary>
public abstract class CampaignSendsContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    protected abstract ICampaignSends Sends { get; }

    private static string NewCampaign() => $"info-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Sends_are_read_back_by_occurrence_and_a_later_record_of_a_recipient_replaces_the_first()
    {
        var campaign = NewCampaign();
        var sent = new CampaignSend(campaign, "2026-11-02", CampaignChannels.Webhook, "obs-de-regenboog", CampaignSendOutcome.Sent, At);
        var failed = new CampaignSend(campaign, "2026-11-02", CampaignChannels.Email, "0123456789abcdef0123456789abcdef", CampaignSendOutcome.Failed, At, "RecipientRejected");
        var other = new CampaignSend(campaign, "2026-12-02", CampaignChannels.Webhook, "obs-de-regenboog", CampaignSendOutcome.Sent, At.AddDays(30));
        await Sends.RecordAsync(sent, CancellationToken.None);
        await Sends.RecordAsync(failed with { Outcome = CampaignSendOutcome.Unsubscribed, Reason = null }, CancellationToken.None);
        await Sends.RecordAsync(failed, CancellationToken.None);
        await Sends.RecordAsync(other, CancellationToken.None);

        var read = await Sends.OfOccurrenceAsync(campaign, "2026-11-02", CancellationToken.None);
        Assert.Equal([failed, sent], read.OrderBy(s => s.Channel, StringComparer.Ordinal));
        Assert.Equal([other], await Sends.OfOccurrenceAsync(campaign, "2026-12-02", CancellationToken.None));
    }
}
