using FunctionsHub.DevHost;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

// Start-up problems end with what to fix and exit code 1, never a stack trace: a wrong setting or a
// taken port is the user's to fix, not a crash of the host.
try
{
    // The generic host logs a failed start with its stack trace at Error; what failed is said below instead.
    // (A background service that fails and stops the host is still logged, at Critical; the DevHost's
    // queue and timer listeners log their own failures.)
    var app = DevHostApp.Create(args, builder => builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
    await app.StartAsync();
    await app.WaitForShutdownAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("FunctionsHub cannot start. Fix these settings (README, \"Settings\"):");
    foreach (var failure in e.Failures)
    {
        Console.Error.WriteLine($"  - {failure}");
    }

    return 1;
}
catch (IOException e) when (e.InnerException is AddressInUseException)
{
    Console.Error.WriteLine($"FunctionsHub cannot start: {e.Message.TrimEnd('.')}. Another program (another hub?) listens there: stop it, or pick another address with --urls (npm start: HUB_URLS=http://localhost:7072 npm start).");
    return 1;
}
catch (FunctionsHub.DevHost.Discovery.UnsupportedBindingException e)
{
    Console.Error.WriteLine($"FunctionsHub cannot start: {e.Message}");
    return 1;
}
