using System.Text.Json;
using FunctionsHub.DevHost.Discovery;
using FunctionsHub.DevHost.Triggers;
using FunctionsHub.Functions;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace FunctionsHub.DevHost;

/// <summary>
/// A development host for machines without Azure Functions Core Tools. It builds the hub's one
/// container with <see cref="HubRegistration.AddFunctionsHub"/>, discovers the <c>[Function]</c>
/// methods of the Functions assembly and serves each by its trigger. Wherever Core Tools can be
/// installed, <c>func start</c> is the way to run the app.
/// </summary>
public static class DevHostApp
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        AddFunctionsConfiguration(builder.Configuration);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        configure?.Invoke(builder);

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var functions = FunctionCatalog.Discover(typeof(HubRegistration).Assembly, builder.Configuration);
        builder.Services.AddFunctionsHub(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddSingleton(functions);
        builder.Services.AddSingleton<FunctionInvoker>();
        foreach (var function in functions)
        {
            switch (function.Trigger)
            {
                case TriggerKind.Queue:
                    builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueTriggerListener>(sp, function));
                    break;
                case TriggerKind.Timer:
                    builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerTriggerScheduler>(sp, function));
                    break;
            }
        }

        var app = builder.Build();
        HttpTriggerEndpoints.Map(app, functions);
        AdminEndpoints.Map(app, functions);
        app.Lifetime.ApplicationStarted.Register(() => LogFunctions(app, functions));
        return app;
    }

    /// <summary>Lists the functions and where they listen, as <c>func start</c> does.</summary>
    private static void LogFunctions(WebApplication app, IReadOnlyList<FunctionDescriptor> functions)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FunctionsHub.DevHost");
        var baseUrl = app.Urls.FirstOrDefault() ?? DefaultUrl;
        var prefix = QueueHostOptions.RoutePrefix(app.Configuration).Trim('/');
        foreach (var function in functions)
        {
            var where = function.Trigger switch
            {
                TriggerKind.Http => $"[{string.Join(",", function.Http!.Methods ?? ["*"]).ToUpperInvariant()}] {baseUrl}/{prefix}/{function.Http.Route ?? function.Name}",
                TriggerKind.Queue => $"queue {function.QueueName}",
                _ => $"timer {function.Schedule} (UTC); run now: POST {baseUrl}/admin/functions/{function.Name}",
            };
            logger.LogInformation("Function {Function}: {Where}", function.Name, where);
        }
    }

    /// <summary>
    /// host.json (as <c>AzureFunctionsJobHost</c>, lowest) and the Functions project's
    /// local.settings.json <c>Values</c> (just below the environment, where func start puts them):
    /// one set of local settings for the DevHost and for <c>func start</c>.
    /// </summary>
    private static void AddFunctionsConfiguration(ConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = HostJson.Read(Path.Combine(AppContext.BaseDirectory, "host.json")) });

        var environment = configuration.Sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        var localSettings = new MemoryConfigurationSource { InitialData = LocalSettingsValues(Path.Combine(AppContext.BaseDirectory, "local.settings.json")) };
        configuration.Sources.Insert(environment < 0 ? configuration.Sources.Count : environment, localSettings);
    }

    private static IEnumerable<KeyValuePair<string, string?>> LocalSettingsValues(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values))
        {
            return [];
        }

        return values.EnumerateObject()
            .Select(p => new KeyValuePair<string, string?>(p.Name.Replace("__", ":"), p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()))
            .ToArray();
    }
}
