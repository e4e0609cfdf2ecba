using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using FunctionsHub.Adapters.Delivery;
using FunctionsHub.Adapters.Inboxes;
using FunctionsHub.Adapters.Mail;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Operations;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.UseCases;
using FunctionsHub.Functions.Hosting;
using FunctionsHub.Functions.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsHub.Functions;

public static class HubRegistration
{
    /// <summary>
    /// The one container of the hub, used by <c>Program.cs</c>, the DevHost and the tests alike.
    /// Function classes are not registered: the host creates them with constructor injection.
    /// </summary>
    public static IServiceCollection AddFunctionsHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubSettings>().BindConfiguration(HubSettings.Section).ValidateOnStart();
        services.AddSingleton(new HubStartupCheck(configuration));
        services.AddSingleton<IValidateOptions<HubSettings>>(sp => sp.GetRequiredService<HubStartupCheck>());
        // One source of the document for every use case: a file does not change while the hub runs; a
        // blob (Hub:ConfigUrl) is looked at once a minute and a valid new version replaces the one in force.
        services.AddSingleton<IHubDocumentSource>(sp =>
        {
            var settings = Settings(sp); // validates first: a clear failure beats a null document
            var check = sp.GetRequiredService<HubStartupCheck>();
            return check.BlobVersion is { } version
                ? new BlobHubDocument(
                    StorageAccount.Blob(configuration, new Uri(settings.ConfigUrl!)), check.Document, version,
                    document => HubStartupCheck.DocumentProblems(document, settings), sp.GetRequiredService<ILogger<BlobHubDocument>>())
                : new FixedHubDocument(check.Document);
        });
        services.AddHostedService<HubDocumentRefresher>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHubTelemetry(configuration);

        services.AddSingleton(sp => new ChildPseudonym(HubStartupCheck.DecodeKey(Settings(sp).PseudonymKey)));
        // Keyed with a key derived from the pseudonym key (see ReferralIds), so providers cannot compute each other's.
        services.AddSingleton(sp => new ReferralIds(HubStartupCheck.DecodeKey(Settings(sp).PseudonymKey)));
        services.AddSingleton(sp => new PartySecrets(Settings(sp).Secrets));
        services.AddSingleton<PartnerSignatures>();
        services.AddSingleton<SignedRequestGate>();
        services.AddSingleton(sp => new CallbackRules(Settings(sp).Delivery.AllowHttpLoopback));
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();

        // None in production; a test or benchmark registers its own first (e.g. to count requests).
        services.TryAddSingleton(StorageClientSetup.None);
        services.AddSingleton(sp => StorageAccount.QueueService(configuration, setup: sp.GetRequiredService<StorageClientSetup>()));
        services.AddSingleton(sp => StorageAccount.TableService(configuration, setup: sp.GetRequiredService<StorageClientSetup>()));
        services.AddSingleton<StorageQueues>();
        services.AddSingleton<Operations.StorageProbe>();
        services.AddSingleton(sp => new HubTables(sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), Settings(sp).Storage.TablePrefix));

        services.AddSingleton<IMeldingStore, TableMeldingStore>();
        services.AddSingleton<IDigestStore, TableDigestStore>();
        services.AddSingleton<IIntakeQueue, StorageQueueIntake>();
        services.AddSingleton<IChildFiles, TableChildFiles>();
        services.AddSingleton<IInstroomLog, TableInstroomLog>();
        services.AddSingleton<IMatchFollowUps, TableMatchFollowUps>();
        services.AddSingleton<IAuditTrail, TableAuditTrail>();
        services.AddSingleton<IRetentionIndex, TableRetentionIndex>();
        services.AddSingleton<StorageQueueNotifications>();
        services.AddSingleton<INotificationOutbox>(sp => sp.GetRequiredService<StorageQueueNotifications>());
        services.AddSingleton<IDeliveryQueue>(sp => sp.GetRequiredService<StorageQueueNotifications>());
        services.AddSingleton<IDeliveryRecords, TableDeliveryRecords>();
        services.AddSingleton<IConsentWithdrawalQueue, StorageQueueConsentWithdrawals>();
        services.AddSingleton<FunctionsHub.Core.Once.IOnceLedger, TableOnceLedger>();
        services.AddSingleton<FunctionsHub.Core.Once.IWatermarks, TableWatermarks>();
        services.AddSingleton<IPoisonQueue>(sp => new PoisonQueue(configuration, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StorageClientSetup>()));

        // Read from the configuration rather than the options: the choice is made while the container is built.
        if (configuration[$"{HubSettings.Section}:Inbox:Transport"] == InboxSettings.ServiceBus)
        {
            services.AddSingleton(sp => ServiceBus(Settings(sp), configuration));
            services.AddSingleton<IProviderInbox, ServiceBusInbox>();
        }
        else
        {
            services.AddSingleton<IProviderInbox, StorageQueueInbox>();
        }

        services.AddSingleton<MeldingIntake>();
        services.AddSingleton<MeldingRouting>();
        services.AddSingleton<ConsentRecording>();
        services.AddSingleton<ConsentWithdrawalNotices>();
        services.AddSingleton<AuditReports>();
        services.AddSingleton<MeldingStatuses>();
        services.AddSingleton<MeldingRetractions>();
        services.AddSingleton<ReferralFeedback>();
        services.AddSingleton<DigestCompilation>();
        services.AddSingleton<DigestReading>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<ReferralDeadlines>();
        services.AddSingleton<MatchFollowUps>();
        services.AddSingleton<RetentionPurge>();

        // Campaigns: partners by webhook always; referrers by e-mail once Hub:Smtp:Host is set (checked at start-up with Hub:PublicUrl).
        services.AddSingleton(sp => new ReferrerKeys(HubStartupCheck.DecodeKey(Settings(sp).PseudonymKey)));
        services.AddSingleton<IReferrerDirectory, TableReferrerDirectory>();
        services.AddSingleton<ICampaignSends, TableCampaignSends>();
        services.AddSingleton(sp => string.IsNullOrWhiteSpace(configuration[$"{SmtpSettings.Section}:Host"])
            ? CampaignMailing.Disabled
            : new CampaignMailing(
                new SmtpMailSender(SmtpSettings.Read(configuration), sp.GetRequiredService<TimeProvider>()),
                new CampaignLinks(new Uri(Settings(sp).PublicUrl!))));
        services.AddSingleton<CampaignSending>();
        services.AddSingleton<SilentPartnerReminders>();
        services.AddSingleton<CampaignOverview>();
        return services;
    }

    private static HubSettings Settings(IServiceProvider services) => services.GetRequiredService<IOptions<HubSettings>>().Value;

    /// <summary>A connection string locally; in Azure the namespace with the app's managed identity.</summary>
    private static ServiceBusClient ServiceBus(HubSettings settings, IConfiguration configuration)
    {
        // Required by HubStartupCheck when the transport is ServiceBus.
        var connection = ServiceBusConnection.Read(settings, configuration)!;
        if (connection.ConnectionString is { } connectionString)
        {
            return new ServiceBusClient(connectionString);
        }

        TokenCredential credential = connection.ClientId is { } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new ServiceBusClient(connection.FullyQualifiedNamespace, credential);
    }
}
