using FunctionsHub.Core;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IChildIndex"/> must do for matching, consent withdrawal and who may state
/// consent: entries per child with their referrer, and the providers recorded for them surviving a
/// retried routing run. The in-memory fake and the table adapter alike.
/// </summary>
public abstract class ChildIndexContract
{
    private static readonly DateTimeOffset ReportedAt = new(2026, 11, 2, 9, 30, 0, 500, TimeSpan.FromHours(1));
    private static readonly Referrer Referrer = new("J. de Vries", "ib", "ib@school.example", "0201234567");

    protected abstract IChildIndex Index { get; }

    // A child of its own per test, so the contract can run on one shared table.
    private static string NewChild() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    private static ChildMelding Entry(string meldingId = "mld_1") => new(meldingId, "obs-de-regenboog", Feeds.School, ReportedAt, Referrer);

    private async Task<ChildMelding> OnlyEntryAsync(string child) => Assert.Single(await Index.MeldingenAsync(child, CancellationToken.None));

    [Fact]
    public async Task An_added_entry_round_trips_with_its_referrer_and_no_providers_yet()
    {
        var child = NewChild();

        await Index.AddAsync(child, Entry(), CancellationToken.None);

        Assert.Equal(Entry(), await OnlyEntryAsync(child));
    }

    [Fact]
    public async Task A_referrer_without_role_email_or_phone_round_trips_as_nulls()
    {
        var child = NewChild();
        var entry = Entry() with { Referrer = new Referrer("Wijkagent", null, null, null) };

        await Index.AddAsync(child, entry, CancellationToken.None);

        Assert.Equal(entry, await OnlyEntryAsync(child));
    }

    [Fact]
    public async Task Recorded_providers_are_listed_with_the_entry()
    {
        var child = NewChild();
        await Index.AddAsync(child, Entry(), CancellationToken.None);

        await Index.RecordProvidersAsync(child, "mld_1", ["basta", "veilig-thuis"], CancellationToken.None);

        var entry = await OnlyEntryAsync(child);
        Assert.Equal(["basta", "veilig-thuis"], entry.Providers!);
        Assert.True(entry.WentTo("veilig-thuis"));
        Assert.Equal(Entry(), entry with { Providers = null });
    }

    [Fact]
    public async Task Adding_the_entry_again_keeps_the_providers_its_first_run_recorded()
    {
        var child = NewChild();
        await Index.AddAsync(child, Entry(), CancellationToken.None);
        await Index.RecordProvidersAsync(child, "mld_1", ["basta"], CancellationToken.None);

        // A retried routing run adds the entry again, as MatchFinder.EntryFor makes it: without providers.
        await Index.AddAsync(child, Entry(), CancellationToken.None);

        Assert.Equal(["basta"], (await OnlyEntryAsync(child)).Providers!);
    }

    [Fact]
    public async Task Providers_come_only_from_recording_them_not_from_the_added_entry()
    {
        // Who may state consent for a child follows the stored decision's providers, nothing else.
        var child = NewChild();

        await Index.AddAsync(child, Entry() with { Providers = ["basta"] }, CancellationToken.None);

        Assert.Null((await OnlyEntryAsync(child)).Providers);
    }

    [Fact]
    public async Task Every_melding_about_a_child_is_listed_and_only_that_child_s()
    {
        var child = NewChild();
        var other = NewChild();
        var second = Entry("mld_2") with { PartnerId = "politie-basisteam-voorbeeldstad", Feed = Feeds.Police, ReportedAt = ReportedAt.AddDays(3), Referrer = Referrer with { Email = null } };
        await Index.AddAsync(child, Entry(), CancellationToken.None);
        await Index.AddAsync(child, second, CancellationToken.None);
        await Index.AddAsync(other, Entry("mld_3"), CancellationToken.None);

        var meldingen = (await Index.MeldingenAsync(child, CancellationToken.None)).OrderBy(m => m.MeldingId).ToArray();

        Assert.Equal([Entry(), second], meldingen);
    }

    [Fact]
    public async Task A_child_never_reported_has_no_entries()
    {
        Assert.Empty(await Index.MeldingenAsync(NewChild(), CancellationToken.None));
    }
}
