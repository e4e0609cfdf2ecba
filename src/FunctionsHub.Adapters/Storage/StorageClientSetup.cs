using Azure.Core;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Additions to the options of every storage client the hub builds, told which client it is:
/// nothing in production (<see cref="None"/>). A test or benchmark registers one in the container
/// before <c>AddFunctionsHub</c> to add a pipeline policy, e.g. one that counts storage transactions.
/// </summary>
public sealed class StorageClientSetup(Action<ClientOptions, string> configure)
{
    /// <summary>The clients of the hub's own container: intake, routing, consent, operations.</summary>
    public const string Hub = "hub";

    /// <summary>The DevHost's queue trigger: its polling, dequeue, delete and poison moves.</summary>
    public const string Trigger = "trigger";

    public static StorageClientSetup None { get; } = new((_, _) => { });

    public void Apply(ClientOptions options, string client) => configure(options, client);
}
