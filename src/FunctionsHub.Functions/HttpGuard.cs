using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions;

/// <summary>
/// The outermost step of every HTTP function: an exception nobody expected becomes a problem+json
/// <c>500</c> with a trace id, instead of the host's bare 500. It lives in the functions' own call
/// path, not in worker middleware, so the DevHost (which calls the classes directly) answers the same.
/// </summary>
public static partial class HttpGuard
{
    public static async Task<IActionResult> RunAsync(ILogger logger, Func<Task<IActionResult>> function)
    {
        try
        {
            return await function();
        }
        catch (Exception e)
        {
            // Exception messages can carry submitted values (a parser's, a store's): type and trace id only.
            var traceId = Activity.Current?.Id ?? Guid.NewGuid().ToString("N");
            LogUnexpected(logger, e.GetType().FullName ?? e.GetType().Name, traceId);
            return JsonAnswer.Problem(500, "internal-error", "Internal error",
                "The hub could not finish this request. Sending it again with the same webhook-id is safe; quote the traceId when you report it.", traceId: traceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An HTTP function failed with {ExceptionType}, trace id {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, string traceId);
}
