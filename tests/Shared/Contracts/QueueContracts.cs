using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FunctionsHub.Core;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every port that puts messages on a queue must do, the recorder the core tests use and the
/// storage-queue adapter alike: a message put once is there once, and reads back, as its consumer
/// decodes it, with every field (compared as the JSON on the wire, so nothing the consumer needs is
/// lost on the way).
/// </summary>
public abstract class QueuePortContract<T>
    where T : class
{
    protected abstract JsonTypeInfo<T> Json { get; }

    /// <summary>A message as the hub would put it, unique to this call (a fresh id in it).</summary>
    protected abstract T NewMessage();

    protected abstract Task PutAsync(T message);

    /// <summary>Every message on the queue with the id of <paramref name="sent"/>, decoded as its consumer decodes it, once it is there.</summary>
    protected abstract Task<IReadOnlyList<T>> ReadBackAsync(T sent);

    [Fact]
    public async Task A_message_put_once_reads_back_once_with_every_field()
    {
        var message = NewMessage();

        await PutAsync(message);

        var read = Assert.Single(await ReadBackAsync(message));
        Assert.Equal(JsonSerializer.Serialize(message, Json), JsonSerializer.Serialize(read, Json));
    }

    [Fact]
    public async Task Two_messages_read_back_each_as_itself()
    {
        var first = NewMessage();
        var second = NewMessage();

        await PutAsync(first);
        await PutAsync(second);

        Assert.Equal(JsonSerializer.Serialize(first, Json), JsonSerializer.Serialize(Assert.Single(await ReadBackAsync(first)), Json));
        Assert.Equal(JsonSerializer.Serialize(second, Json), JsonSerializer.Serialize(Assert.Single(await ReadBackAsync(second)), Json));
    }
}

/// <summary>Messages for the queue contracts, with every optional part filled in.</summary>
public static class QueueMessages
{
    private static readonly DateTimeOffset ReportedAt = new(2026, 11, 4, 22, 15, 0, 250, TimeSpan.FromHours(1));

    public static Zorgmelding Melding() => new()
    {
        MeldingId = Identifiers.MeldingId("jongerenwerk-voorbeeldstad", Guid.NewGuid().ToString("N")),
        PartnerId = "jongerenwerk-voorbeeldstad",
        Feed = Feeds.Welfare,
        ExternalId = "JW-VBS-2026-311",
        ReportedAt = ReportedAt,
        ReceivedAt = ReportedAt.AddSeconds(2),
        Child = new Child("111222333", new DateOnly(2016, 5, 14), "3071AB", "Sam", "Voorbeeld"),
        AgeYears = 10,
        Wijk = "noord",
        Referrer = new Referrer("M. Yilmaz", "jongerenwerker", "m.yilmaz@jongerenwerk.example", "0201234567"),
        Consent = new ConsentStatement("given", ["all"], "parent", ReportedAt.AddDays(-1)),
        Urgency = Urgencies.Normal,
        Description = "Hangt 's avonds laat rond.",
        Categories = ["nuisance", "supervision"],
        Welfare = new WelfareDetails("youth-work", "Jongerenwerk Voorbeeldstad", ["hanging-around-late", "group-nuisance"]),
    };

    public static OutboundNotification Notification()
    {
        var id = Guid.NewGuid().ToString("N");
        var data = new MatchFoundData($"mld_{id}", new PartnerRef("obs-de-regenboog", "OBS De Regenboog"), new Referrer("J. de Vries", "ib", null, "0201234567"), $"mtc_{id}", new DateTimeOffset(2026, 5, 14, 9, 30, 0, TimeSpan.Zero));
        return new OutboundNotification(
            new NotificationRecipient("partner", "jongerenwerk-voorbeeldstad"),
            new NotificationEnvelope(NotificationTypes.MatchFound, Identifiers.NotificationId($"mld_{id}", "match.found"), ReportedAt,
                JsonSerializer.SerializeToElement(data, HubJson.Default.MatchFoundData)));
    }

    public static ConsentWithdrawal Withdrawal() =>
        new(new string('a', 32) + Guid.NewGuid().ToString("N"), Identifiers.ConsentId("cjg", Guid.NewGuid().ToString("N")), ["all", "basta"], ReportedAt);

    /// <summary>A notice to a provider of its own (a fresh id), so its inbox holds only this contract's messages.</summary>
    public static ConsentWithdrawnMessage Notice() => new()
    {
        NoticeId = Identifiers.NoticeId(Guid.NewGuid().ToString("N"), "cjg"),
        Provider = "contract-" + Guid.NewGuid().ToString("N")[..12],
        CreatedAt = ReportedAt,
        WithdrawnAt = ReportedAt,
        ReferralIds = [TestReferralIds.For("mld_1", "cjg"), TestReferralIds.For("mld_2", "cjg")],
    };
}

public abstract class IntakeQueueContract : QueuePortContract<Zorgmelding>
{
    protected override JsonTypeInfo<Zorgmelding> Json => HubJson.Default.Zorgmelding;

    protected override Zorgmelding NewMessage() => QueueMessages.Melding();
}

public abstract class NotificationOutboxContract : QueuePortContract<OutboundNotification>
{
    protected override JsonTypeInfo<OutboundNotification> Json => HubJson.Default.OutboundNotification;

    protected override OutboundNotification NewMessage() => QueueMessages.Notification();
}

public abstract class ConsentWithdrawalQueueContract : QueuePortContract<ConsentWithdrawal>
{
    protected override JsonTypeInfo<ConsentWithdrawal> Json => HubJson.Default.ConsentWithdrawal;

    protected override ConsentWithdrawal NewMessage() => QueueMessages.Withdrawal();
}

/// <summary>The provider inbox, for the notices (the referrals' round trip is the inbox adapters' own tests).</summary>
public abstract class ProviderInboxNoticeContract : QueuePortContract<ConsentWithdrawnMessage>
{
    protected override JsonTypeInfo<ConsentWithdrawnMessage> Json => HubJson.Default.ConsentWithdrawnMessage;

    protected override ConsentWithdrawnMessage NewMessage() => QueueMessages.Notice();
}
