using FunctionsHub.Adapters.Inboxes;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Routing;
using FunctionsHub.Functions.Hosting;
using FunctionsHub.Functions.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<HubStartupCheck>();
        services.AddSingleton<IValidateOptions<HubSettings>>(sp => sp.GetRequiredService<HubStartupCheck>());
        services.AddSingleton<HubDocument>(sp =>
        {
            _ = sp.GetRequiredService<IOptions<HubSettings>>().Value; // validates first: a clear failure beats a null document
            return sp.GetRequiredService<HubStartupCheck>().Document;
        });
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new ChildPseudonym(HubStartupCheck.DecodeKey(Settings(sp).PseudonymKey)));
        services.AddSingleton(sp => new PartnerSignatures(Settings(sp).Secrets));

        services.AddSingleton(_ => StorageAccount.QueueService(configuration));
        services.AddSingleton(_ => StorageAccount.TableService(configuration));
        services.AddSingleton<StorageQueues>();
        services.AddSingleton(sp => new HubTables(sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), Settings(sp).Storage.TablePrefix));

        services.AddSingleton<IMeldingStore, TableMeldingStore>();
        services.AddSingleton<IDigestStore, TableDigestStore>();
        services.AddSingleton<IIntakeQueue, StorageQueueIntake>();
        services.AddSingleton<IProviderInbox, StorageQueueInbox>();

        services.AddSingleton<MeldingIntake>();
        services.AddSingleton<MeldingRouting>();
        services.AddSingleton<DigestCompilation>();
        return services;
    }

    private static HubSettings Settings(IServiceProvider services) => services.GetRequiredService<IOptions<HubSettings>>().Value;
}
