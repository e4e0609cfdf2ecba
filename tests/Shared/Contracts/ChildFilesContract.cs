using FunctionsHub.Core;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IChildFiles"/> must do for routing, matching and consent: the whole file in
/// one read; a decision, its send claim and the consent its melding carried stored together, and
/// only on the version they were decided from (so two runs cannot both decide, nor decide on consent
/// that has changed); the send claimed under a lease and released with what was sent. The in-memory
/// fake and the table adapter alike.
/// </summary>
public abstract class ChildFilesContract
{
    private static readonly DateTimeOffset ReportedAt = new(2026, 11, 2, 9, 30, 0, 500, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 2, 8, 31, 2, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset LeaseUntil = DecidedAt.AddSeconds(25);
    private static readonly Referrer Referrer = new("J. de Vries", "ib", "ib@school.example", "0201234567");

    protected abstract IChildFiles Files { get; }

    // A child of its own per test, so the contract can run on one shared table.
    private static string NewChild() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    private static string NewMelding() => $"mld_{Guid.NewGuid():N}";

    private static RoutingDecision Decision() => new(
        [
            new ProviderDecision("basta", ReferralKinds.Referral, ConsentBases.ParentalConsent, ["police-offence", "weapons"], "cns_1"),
            new ProviderDecision("veilig-thuis", ReferralKinds.Signal, ConsentBases.None, ["default-provider"]),
        ],
        ["police-offence", "weapons"],
        "risk-level-red",
        [new MatchedPartner("politie-basisteam-voorbeeldstad", "Politie Basisteam Voorbeeldstad", "mld_0", new Referrer("Wijkagent", null, null, "0900-8844"))],
        DecidedAt);

    private static ChildMelding Decided(string meldingId, RoutingDecision? decision = null) =>
        new(meldingId, "obs-de-regenboog", Feeds.School, ReportedAt, Referrer, decision ?? Decision());

    private static ConsentRecord Consent(string consentId = "cns_1") =>
        new(consentId, ConsentStatuses.Given, ["basta", "jeugdbescherming"], "parent", ReportedAt, "mld_1", DecidedAt.AddSeconds(-1));

    private static Dictionary<string, string> Sent(params (string Provider, string Kind)[] sent) =>
        sent.ToDictionary(s => s.Provider, s => s.Kind, StringComparer.Ordinal);

    private Task<ChildFile> ReadAsync(string child) => Files.ReadAsync(child, CancellationToken.None);

    private Task<string?> DecideAsync(ChildFile file, ChildMelding decided, ConsentRecord? carried = null, DateTimeOffset? leaseUntil = null) =>
        Files.TryAddDecidedAsync(file, decided, carried, leaseUntil ?? LeaseUntil, CancellationToken.None);

    /// <summary>A child whose file holds one decided melding, claimed by the token answered.</summary>
    private async Task<(string Child, string MeldingId, string Token)> DecidedChildAsync()
    {
        var child = NewChild();
        var meldingId = NewMelding();
        var token = await DecideAsync(await ReadAsync(child), Decided(meldingId));
        Assert.NotNull(token);
        return (child, meldingId, token);
    }

    // The records hold lists and a dictionary, which records compare by reference: compare their items.
    private static void AssertSameMelding(ChildMelding expected, ChildMelding? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.MeldingId, actual.MeldingId);
        Assert.Equal(expected.PartnerId, actual.PartnerId);
        Assert.Equal(expected.Feed, actual.Feed);
        Assert.Equal(expected.ReportedAt, actual.ReportedAt);
        Assert.Equal(expected.Referrer, actual.Referrer);
        AssertSameDecision(expected.Decision, actual.Decision);
    }

    private static void AssertSameDecision(RoutingDecision? expected, RoutingDecision? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.Providers.Count, actual.Providers.Count);
        foreach (var (want, got) in expected.Providers.Zip(actual.Providers))
        {
            Assert.Equal(want.Reasons, got.Reasons);
            Assert.Equal(want with { Reasons = got.Reasons }, got);
        }

        Assert.Equal(expected.MatchedRules, actual.MatchedRules);
        Assert.Equal(expected.AcuteReason, actual.AcuteReason);
        Assert.Equal(expected.Match, actual.Match);
        Assert.Equal(expected.DecidedAt, actual.DecidedAt);
    }

    private static void AssertSameConsent(ConsentRecord expected, ConsentRecord actual)
    {
        Assert.Equal(expected.Scope, actual.Scope);
        Assert.Equal(expected with { Scope = actual.Scope }, actual);
    }

    private static void AssertSend(DateTimeOffset? leaseUntil, IReadOnlyDictionary<string, string> sent, string token, SendState? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(leaseUntil, actual.LeaseUntil);
        Assert.Equal(sent.OrderBy(s => s.Key, StringComparer.Ordinal), actual.Sent.OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.Equal(token, actual.Token);
    }

    [Fact]
    public async Task A_child_the_hub_does_not_know_reads_as_an_empty_file_without_a_version()
    {
        var child = NewChild();

        var file = await ReadAsync(child);

        Assert.Equal(child, file.ChildPseudonym);
        Assert.Null(file.Version);
        Assert.Empty(file.Consents);
        Assert.Empty(file.Meldingen);
    }

    [Fact]
    public async Task A_decided_melding_round_trips_with_its_referrer_its_decision_and_its_send_claimed_by_the_token_answered()
    {
        var child = NewChild();
        var decided = Decided(NewMelding());

        var token = await DecideAsync(await ReadAsync(child), decided);

        Assert.NotNull(token);
        var file = await ReadAsync(child);
        Assert.NotNull(file.Version);
        var stored = Assert.Single(file.Meldingen);
        AssertSameMelding(decided, stored);
        AssertSend(LeaseUntil, Sent(), token, stored.Send);
        Assert.Same(stored, file.Find(decided.MeldingId));
        Assert.Empty(file.Consents);
    }

    [Fact]
    public async Task A_referrer_without_role_email_or_phone_and_a_decision_without_acute_reason_or_match_round_trip_as_nulls_and_empties()
    {
        var child = NewChild();
        var decision = Decision() with
        {
            Providers = [new ProviderDecision("jeugdteam", ReferralKinds.Referral, ConsentBases.AcuteSafety, [])],
            MatchedRules = [],
            AcuteReason = null,
            Match = [],
        };
        var decided = Decided(NewMelding(), decision) with { Referrer = new Referrer("Wijkagent", null, null, null) };

        await DecideAsync(await ReadAsync(child), decided);

        AssertSameMelding(decided, Assert.Single((await ReadAsync(child)).Meldingen));
    }

    [Fact]
    public async Task The_consent_a_melding_carries_is_stored_with_its_decision()
    {
        var child = NewChild();
        var decided = Decided(NewMelding());
        var carried = Consent();

        Assert.NotNull(await DecideAsync(await ReadAsync(child), decided, carried));

        var file = await ReadAsync(child);
        AssertSameConsent(carried, Assert.Single(file.Consents));
        AssertSameMelding(decided, Assert.Single(file.Meldingen));
    }

    [Fact]
    public async Task A_decision_on_a_new_child_is_refused_when_another_decision_created_the_file_since_it_was_read_and_stores_nothing()
    {
        var child = NewChild();
        var read = await ReadAsync(child);
        var first = Decided(NewMelding());
        Assert.NotNull(await DecideAsync(read, first));

        Assert.Null(await DecideAsync(read, Decided(NewMelding()), Consent()));

        var file = await ReadAsync(child);
        AssertSameMelding(first, Assert.Single(file.Meldingen));
        Assert.Empty(file.Consents);
    }

    [Fact]
    public async Task A_decision_is_refused_when_another_decision_was_stored_since_the_file_was_read_and_stores_nothing()
    {
        var (child, meldingId, _) = await DecidedChildAsync();
        var read = await ReadAsync(child);
        var second = Decided(NewMelding());
        Assert.NotNull(await DecideAsync(read, second));

        var afterSecond = await ReadAsync(child);

        Assert.Null(await DecideAsync(read, Decided(NewMelding()), Consent()));

        var file = await ReadAsync(child);
        Assert.Equal(afterSecond.Version, file.Version);
        Assert.Equal(new[] { meldingId, second.MeldingId }.Order(StringComparer.Ordinal), file.Meldingen.Select(m => m.MeldingId).Order(StringComparer.Ordinal));
        Assert.Empty(file.Consents);
    }

    [Fact]
    public async Task A_decision_is_refused_when_a_consent_was_recorded_since_the_file_was_read_and_stores_nothing()
    {
        var (child, meldingId, _) = await DecidedChildAsync();
        var read = await ReadAsync(child);
        var withdrawn = Consent("cns_2") with { Status = ConsentStatuses.Withdrawn };
        await Files.AddConsentAsync(child, withdrawn, CancellationToken.None);

        Assert.Null(await DecideAsync(read, Decided(NewMelding()), Consent()));

        var file = await ReadAsync(child);
        Assert.NotEqual(read.Version, file.Version);
        Assert.Equal(meldingId, Assert.Single(file.Meldingen).MeldingId);
        AssertSameConsent(withdrawn, Assert.Single(file.Consents));
    }

    [Fact]
    public async Task A_decision_on_a_new_child_is_refused_when_a_consent_created_the_file_since_it_was_read()
    {
        var child = NewChild();
        var read = await ReadAsync(child);
        await Files.AddConsentAsync(child, Consent("cns_2"), CancellationToken.None);

        Assert.Null(await DecideAsync(read, Decided(NewMelding())));

        Assert.Empty((await ReadAsync(child)).Meldingen);
    }

    [Fact]
    public async Task Deciding_a_melding_the_file_already_holds_is_refused_and_keeps_the_first_decision_and_claim()
    {
        var child = NewChild();
        var first = Decided(NewMelding());
        var token = await DecideAsync(await ReadAsync(child), first);
        Assert.NotNull(token);
        var again = first with { Decision = Decision() with { Providers = [new ProviderDecision("basta", ReferralKinds.Signal, ConsentBases.None, [])], DecidedAt = DecidedAt.AddMinutes(1) } };

        var read = await ReadAsync(child);

        Assert.Null(await DecideAsync(read, again, Consent(), LeaseUntil.AddMinutes(1)));

        // Nothing of the refused write stays, not even the step of the version it began with.
        var file = await ReadAsync(child);
        Assert.Equal(read.Version, file.Version);
        var stored = Assert.Single(file.Meldingen);
        AssertSameMelding(first, stored);
        AssertSend(LeaseUntil, Sent(), token, stored.Send);
        Assert.Empty(file.Consents);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Of_two_decisions_made_at_the_same_moment_on_one_version_exactly_one_is_stored(bool childKnownBefore)
    {
        var child = NewChild();
        if (childKnownBefore)
        {
            await Files.AddConsentAsync(child, Consent("cns_0"), CancellationToken.None);
        }

        var read = await ReadAsync(child);
        var contenders = new[] { Decided(NewMelding()), Decided(NewMelding()) };

        var tokens = await Task.WhenAll(contenders.Select(decided => Task.Run(() => DecideAsync(read, decided, Consent($"cns_{decided.MeldingId}")))));

        var winner = Assert.Single(contenders.Zip(tokens), c => c.Second is not null);
        var file = await ReadAsync(child);
        var stored = Assert.Single(file.Meldingen);
        AssertSameMelding(winner.First, stored);
        Assert.Equal(winner.Second, stored.Send?.Token);
        Assert.Contains(file.Consents, c => c.ConsentId == $"cns_{winner.First.MeldingId}");
        Assert.Equal(childKnownBefore ? 2 : 1, file.Consents.Count);
    }

    [Fact]
    public async Task Claiming_the_send_again_answers_a_new_token_sets_the_lease_and_keeps_what_was_sent()
    {
        var (child, meldingId, first) = await DecidedChildAsync();
        await Files.ReleaseSendAsync(child, meldingId, first, Sent(("basta", ReferralKinds.Referral)), CancellationToken.None);
        var read = await ReadAsync(child);
        var leaseUntil = LeaseUntil.AddMinutes(2);

        var token = await Files.TryClaimSendAsync(read, meldingId, leaseUntil, CancellationToken.None);

        Assert.NotNull(token);
        Assert.NotEqual(first, token);
        var file = await ReadAsync(child);
        AssertSend(leaseUntil, Sent(("basta", ReferralKinds.Referral)), token, file.Find(meldingId)?.Send);
        AssertSameMelding(Decided(meldingId), file.Find(meldingId));
        Assert.NotEqual(read.Version, file.Version);
    }

    [Fact]
    public async Task A_claim_on_a_file_that_changed_since_it_was_read_fails_and_leaves_the_send_as_it_was()
    {
        var (child, meldingId, token) = await DecidedChildAsync();
        var read = await ReadAsync(child);
        await Files.AddConsentAsync(child, Consent(), CancellationToken.None);

        Assert.Null(await Files.TryClaimSendAsync(read, meldingId, LeaseUntil.AddMinutes(2), CancellationToken.None));

        AssertSend(LeaseUntil, Sent(), token, (await ReadAsync(child)).Find(meldingId)?.Send);
    }

    [Fact]
    public async Task Of_two_claims_made_at_the_same_moment_on_one_version_exactly_one_holds_the_send()
    {
        var (child, meldingId, first) = await DecidedChildAsync();
        await Files.ReleaseSendAsync(child, meldingId, first, Sent(), CancellationToken.None);
        var read = await ReadAsync(child);

        var tokens = await Task.WhenAll(Enumerable.Range(1, 2).Select(i => Task.Run(() => Files.TryClaimSendAsync(read, meldingId, LeaseUntil.AddMinutes(i), CancellationToken.None))));

        var winner = Assert.Single(tokens, t => t is not null);
        Assert.Equal(winner, (await ReadAsync(child)).Find(meldingId)?.Send?.Token);
    }

    [Fact]
    public async Task A_claim_on_a_file_read_before_the_send_was_released_fails_so_the_run_sees_what_was_sent()
    {
        // Read while the send was still held: a claim on that read would not know what the released run sent.
        var (child, meldingId, first) = await DecidedChildAsync();
        var read = await ReadAsync(child);
        await Files.ReleaseSendAsync(child, meldingId, first, Sent(("basta", ReferralKinds.Referral)), CancellationToken.None);

        Assert.Null(await Files.TryClaimSendAsync(read, meldingId, LeaseUntil.AddMinutes(2), CancellationToken.None));

        var reread = await ReadAsync(child);
        AssertSend(null, Sent(("basta", ReferralKinds.Referral)), first, reread.Find(meldingId)?.Send);
        Assert.NotNull(await Files.TryClaimSendAsync(reread, meldingId, LeaseUntil.AddMinutes(2), CancellationToken.None));
    }

    [Fact]
    public async Task Releasing_the_send_with_its_token_records_what_was_sent_and_clears_the_lease()
    {
        var (child, meldingId, token) = await DecidedChildAsync();
        var sent = Sent(("basta", ReferralKinds.Signal), ("veilig-thuis", ReferralKinds.Referral));

        await Files.ReleaseSendAsync(child, meldingId, token, sent, CancellationToken.None);

        var stored = (await ReadAsync(child)).Find(meldingId);
        AssertSend(null, sent, token, stored?.Send);
        AssertSameMelding(Decided(meldingId), stored);
    }

    [Fact]
    public async Task Releasing_with_nothing_sent_clears_the_lease_and_records_nothing()
    {
        var (child, meldingId, token) = await DecidedChildAsync();

        await Files.ReleaseSendAsync(child, meldingId, token, Sent(), CancellationToken.None);

        AssertSend(null, Sent(), token, (await ReadAsync(child)).Find(meldingId)?.Send);
    }

    [Fact]
    public async Task A_late_release_by_a_run_whose_claim_was_taken_over_changes_nothing()
    {
        var (child, meldingId, stale) = await DecidedChildAsync();
        var leaseUntil = LeaseUntil.AddMinutes(2);
        // The first run's lease ran out: another run claims the send and holds it.
        var current = await Files.TryClaimSendAsync(await ReadAsync(child), meldingId, leaseUntil, CancellationToken.None);
        Assert.NotNull(current);
        var before = await ReadAsync(child);

        await Files.ReleaseSendAsync(child, meldingId, stale, Sent(("basta", ReferralKinds.Referral)), CancellationToken.None);

        var after = await ReadAsync(child);
        AssertSend(leaseUntil, Sent(), current, after.Find(meldingId)?.Send);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task A_release_and_a_consent_written_at_the_same_moment_both_stay()
    {
        // The release is conditional on nothing but its token: a consent recorded between its read
        // and its write (the file's version moved) must not make it drop what was sent.
        for (var round = 0; round < 5; round++)
        {
            var (child, meldingId, token) = await DecidedChildAsync();
            var sent = Sent(("basta", ReferralKinds.Referral));

            await Task.WhenAll(
                Task.Run(() => Files.ReleaseSendAsync(child, meldingId, token, sent, CancellationToken.None)),
                Task.Run(() => Files.AddConsentAsync(child, Consent($"cns_{round}"), CancellationToken.None)));

            var file = await ReadAsync(child);
            AssertSend(null, sent, token, file.Find(meldingId)?.Send);
            Assert.Equal($"cns_{round}", Assert.Single(file.Consents).ConsentId);
        }
    }

    [Fact]
    public async Task Consents_recorded_at_the_same_moment_all_stay()
    {
        var child = NewChild();
        var ids = Enumerable.Range(1, 4).Select(i => $"cns_{i}").ToArray();

        await Task.WhenAll(ids.Select(id => Task.Run(() => Files.AddConsentAsync(child, Consent(id), CancellationToken.None))));

        Assert.Equal(ids, (await ReadAsync(child)).Consents.Select(c => c.ConsentId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_recorded_consent_round_trips_every_field_and_its_scope_list()
    {
        var child = NewChild();
        var record = Consent();

        await Files.AddConsentAsync(child, record, CancellationToken.None);

        var file = await ReadAsync(child);
        AssertSameConsent(record, Assert.Single(file.Consents));
        Assert.NotNull(file.Version);
        Assert.Empty(file.Meldingen);
    }

    [Fact]
    public async Task A_consent_kept_before_the_hub_noted_receipt_round_trips_without_received_at_or_giver()
    {
        var child = NewChild();
        var record = Consent() with { Scope = [ConsentRecord.AllProviders], GivenBy = null, ReceivedAt = null };

        await Files.AddConsentAsync(child, record, CancellationToken.None);

        AssertSameConsent(record, Assert.Single((await ReadAsync(child)).Consents));
    }

    [Fact]
    public async Task Recording_a_consent_id_again_keeps_one_record_holding_the_latest_statement()
    {
        var child = NewChild();
        await Files.AddConsentAsync(child, Consent(), CancellationToken.None);
        await Files.AddConsentAsync(child, Consent(), CancellationToken.None);
        var withdrawn = Consent() with { Status = ConsentStatuses.Withdrawn, Scope = ["basta"], RecordedAt = ReportedAt.AddDays(1) };

        await Files.AddConsentAsync(child, withdrawn, CancellationToken.None);

        AssertSameConsent(withdrawn, Assert.Single((await ReadAsync(child)).Consents));
    }

    [Fact]
    public async Task Recording_a_consent_moves_the_version_on_so_a_decision_made_on_the_older_version_is_refused()
    {
        var child = NewChild();
        await Files.AddConsentAsync(child, Consent("cns_1"), CancellationToken.None);
        var read = await ReadAsync(child);

        await Files.AddConsentAsync(child, Consent("cns_2") with { Status = ConsentStatuses.Withdrawn }, CancellationToken.None);

        Assert.NotEqual(read.Version, (await ReadAsync(child)).Version);
        Assert.Null(await DecideAsync(read, Decided(NewMelding())));
        Assert.NotNull(await DecideAsync(await ReadAsync(child), Decided(NewMelding())));
    }

    [Fact]
    public async Task A_file_holds_every_melding_and_consent_about_its_child_and_only_that_child_s()
    {
        var child = NewChild();
        var other = NewChild();
        var first = Decided(NewMelding());
        var second = Decided(NewMelding()) with { PartnerId = "politie-basisteam-voorbeeldstad", Feed = Feeds.Police, ReportedAt = ReportedAt.AddDays(3), Referrer = Referrer with { Email = null } };
        var otherRead = await ReadAsync(other);
        Assert.NotNull(await DecideAsync(await ReadAsync(child), first, Consent("cns_1")));
        Assert.NotNull(await DecideAsync(await ReadAsync(child), second));
        await Files.AddConsentAsync(child, Consent("cns_2"), CancellationToken.None);

        // Nothing written about the first child changed the other's file, nor its version.
        Assert.Equal(otherRead.Version, (await ReadAsync(other)).Version);
        var othersMelding = Decided(NewMelding());
        Assert.NotNull(await DecideAsync(otherRead, othersMelding, Consent("cns_3")));

        var file = await ReadAsync(child);
        var meldingen = file.Meldingen.OrderBy(m => m.ReportedAt).ToArray();
        Assert.Equal(2, meldingen.Length);
        AssertSameMelding(first, meldingen[0]);
        AssertSameMelding(second, meldingen[1]);
        Assert.Equal(["cns_1", "cns_2"], file.Consents.Select(c => c.ConsentId).Order(StringComparer.Ordinal));
        var otherFile = await ReadAsync(other);
        AssertSameMelding(othersMelding, Assert.Single(otherFile.Meldingen));
        Assert.Equal("cns_3", Assert.Single(otherFile.Consents).ConsentId);
    }

    private static MatchedPartner MatchOf(string meldingId) => new("politie-basisteam-voorbeeldstad", "Politie Basisteam Voorbeeldstad", meldingId, new Referrer("Wijkagent", null, null, "0900-8844"));

    /// <summary>
    /// A child with a consent and three meldingen: the first, one whose match names the first (and
    /// another melding), and one matched with another melding only, its send released.
    /// </summary>
    private async Task<(string Child, ChildMelding First, ChildMelding Matching, ChildMelding Unrelated)> ChildWithMatchAsync()
    {
        var child = NewChild();
        var first = Decided(NewMelding(), Decision() with { Match = [] });
        Assert.NotNull(await DecideAsync(await ReadAsync(child), first, Consent()));
        var matching = Decided(NewMelding(), Decision() with { Match = [MatchOf(first.MeldingId), MatchOf("mld_0")] });
        Assert.NotNull(await DecideAsync(await ReadAsync(child), matching));
        var unrelated = Decided(NewMelding());
        var token = await DecideAsync(await ReadAsync(child), unrelated);
        Assert.NotNull(token);
        await Files.ReleaseSendAsync(child, unrelated.MeldingId, token, Sent(("basta", ReferralKinds.Referral)), CancellationToken.None);
        return (child, first, matching, unrelated);
    }

    private Task<bool> RemoveAsync(ChildFile file, string? meldingId, bool wholeFile) => Files.TryRemoveAsync(file, meldingId, wholeFile, CancellationToken.None);

    [Fact]
    public async Task A_melding_removed_from_the_file_takes_its_match_out_of_the_others_decisions_keeps_the_rest_and_moves_the_version_on()
    {
        var (child, first, matching, unrelated) = await ChildWithMatchAsync();
        var read = await ReadAsync(child);
        var matchingSend = read.Find(matching.MeldingId)!.Send;

        Assert.True(await RemoveAsync(read, first.MeldingId, wholeFile: false));

        var file = await ReadAsync(child);
        Assert.NotNull(file.Version);
        Assert.NotEqual(read.Version, file.Version);
        Assert.Null(file.Find(first.MeldingId));
        Assert.Equal(2, file.Meldingen.Count);
        var stripped = matching with { Decision = matching.Decision! with { Match = [MatchOf("mld_0")] } };
        AssertSameMelding(stripped, file.Find(matching.MeldingId));
        AssertSend(matchingSend!.LeaseUntil, matchingSend.Sent, matchingSend.Token, file.Find(matching.MeldingId)!.Send);
        AssertSameMelding(unrelated, file.Find(unrelated.MeldingId));
        AssertSend(null, Sent(("basta", ReferralKinds.Referral)), read.Find(unrelated.MeldingId)!.Send!.Token, file.Find(unrelated.MeldingId)!.Send);
        AssertSameConsent(Consent(), Assert.Single(file.Consents));
        Assert.Empty(file.MatchesOf(first.MeldingId));
    }

    [Fact]
    public async Task A_melding_removed_from_the_file_refuses_a_write_on_the_version_read_before_it()
    {
        var (child, first, _, _) = await ChildWithMatchAsync();
        var read = await ReadAsync(child);

        Assert.True(await RemoveAsync(read, first.MeldingId, wholeFile: false));

        Assert.Null(await DecideAsync(read, Decided(NewMelding())));
        Assert.False(await RemoveAsync(read, first.MeldingId, wholeFile: false));
    }

    [Fact]
    public async Task A_whole_file_removed_reads_as_the_empty_file_of_a_child_the_hub_does_not_know_and_a_new_file_can_begin()
    {
        var (child, meldingId, _) = await DecidedChildAsync();
        await Files.AddConsentAsync(child, Consent("cns_1"), CancellationToken.None);
        await Files.AddConsentAsync(child, Consent("cns_2") with { Status = ConsentStatuses.Withdrawn }, CancellationToken.None);

        Assert.True(await RemoveAsync(await ReadAsync(child), meldingId, wholeFile: true));

        var file = await ReadAsync(child);
        Assert.Null(file.Version);
        Assert.Empty(file.Consents);
        Assert.Empty(file.Meldingen);

        // Removing the empty file again is no error, and the child's next melding begins a file of its own.
        Assert.True(await RemoveAsync(file, meldingId, wholeFile: true));
        var next = Decided(NewMelding());
        Assert.NotNull(await DecideAsync(await ReadAsync(child), next));
        AssertSameMelding(next, Assert.Single((await ReadAsync(child)).Meldingen));
    }

    [Fact]
    public async Task A_whole_file_with_more_rows_than_one_storage_transaction_holds_is_removed_whole()
    {
        // Written when the table kept a row per consent and removed them in chunks; the file is one
        // entity now, and a large file must still go whole.
        var (child, meldingId, _) = await DecidedChildAsync();
        for (var i = 0; i < 120; i++)
        {
            await Files.AddConsentAsync(child, Consent($"cns_{i:D3}"), CancellationToken.None);
        }

        var read = await ReadAsync(child);
        Assert.Equal(120, read.Consents.Count);

        Assert.True(await RemoveAsync(read, meldingId, wholeFile: true));

        var file = await ReadAsync(child);
        Assert.Null(file.Version);
        Assert.Empty(file.Consents);
        Assert.Empty(file.Meldingen);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 120)]
    public async Task A_removal_from_a_file_that_changed_since_it_was_read_is_refused_and_changes_nothing(bool wholeFile, int moreConsents)
    {
        var (child, first, matching, unrelated) = await ChildWithMatchAsync();
        for (var i = 0; i < moreConsents; i++)
        {
            await Files.AddConsentAsync(child, Consent($"cns_{i:D3}"), CancellationToken.None);
        }

        var read = await ReadAsync(child);
        var withdrawn = Consent() with { Status = ConsentStatuses.Withdrawn, RecordedAt = ReportedAt.AddDays(1) };
        await Files.AddConsentAsync(child, withdrawn, CancellationToken.None);
        var changed = await ReadAsync(child);

        Assert.False(await RemoveAsync(read, first.MeldingId, wholeFile));

        var file = await ReadAsync(child);
        Assert.Equal(changed.Version, file.Version);
        Assert.Equal(3, file.Meldingen.Count);
        AssertSameMelding(first, file.Find(first.MeldingId));
        AssertSameMelding(matching, file.Find(matching.MeldingId));
        AssertSameMelding(unrelated, file.Find(unrelated.MeldingId));
        Assert.Equal(1 + moreConsents, file.Consents.Count);
        AssertSameConsent(withdrawn, file.Consents.Single(c => c.ConsentId == withdrawn.ConsentId));
    }
}
