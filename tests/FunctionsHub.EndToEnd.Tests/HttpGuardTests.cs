using System.Reflection;
using System.Text.Json;
using FunctionsHub.Functions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The guard every HTTP function runs in: an unexpected exception is a problem+json 500 with a
/// trace id, and neither the answer nor the log carries the exception's message.
/// </summary>
public sealed class HttpGuardTests
{
    private const string Secret = "BSN 111222333 of Noor Testkind";

    [Fact]
    public async Task An_unexpected_exception_is_a_problem_json_500_with_a_trace_id_and_no_detail_from_the_exception()
    {
        var logs = new CapturedLogs();
        var logger = logs.CreateLogger("guarded");

        var result = await HttpGuard.RunAsync(logger, () => throw new InvalidOperationException(Secret));
        var (status, contentType, body) = await ExecutedAnswers.ExecuteAsync(result);

        Assert.Equal(500, status);
        Assert.Equal("application/problem+json", contentType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:functionshub:problem:internal-error", problem.GetProperty("type").GetString());
        var traceId = problem.GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.DoesNotContain("111222333", body);
        var line = Assert.Single(logs.Lines);
        Assert.Contains("System.InvalidOperationException", line);
        Assert.Contains(traceId!, line);
        Assert.DoesNotContain("111222333", line);
    }

    [Fact]
    public async Task A_normal_answer_passes_through_unchanged()
    {
        var answer = JsonAnswer.Problem(404, "unknown-melding", "Unknown melding");

        Assert.Same(answer, await HttpGuard.RunAsync(new CapturedLogs().CreateLogger("guarded"), () => Task.FromResult<IActionResult>(answer)));
    }

    [Fact]
    public void Every_HTTP_function_runs_in_the_guard()
    {
        // The DevHost and the worker call these methods directly: the guard must be in their own body.
        var functions = typeof(HttpGuard).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null))
            .ToArray();

        Assert.NotEmpty(functions);
        var guard = typeof(HttpGuard).GetMethod(nameof(HttpGuard.RunAsync))!;
        Assert.All(functions, method => Assert.True(Calls(method, guard), $"{method.DeclaringType!.Name}.{method.Name} does not run in HttpGuard.RunAsync."));
    }

    /// <summary>Whether a method's IL has a <c>call</c> to <paramref name="target"/> (0x28 and a method token).</summary>
    private static bool Calls(MethodInfo method, MethodInfo target)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0x28)
            {
                continue;
            }

            try
            {
                if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1)) == target)
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                // Not a method token: the byte was an operand of another instruction.
            }
        }

        return false;
    }
}
