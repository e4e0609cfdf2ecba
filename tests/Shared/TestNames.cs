namespace FunctionsHub.Testing;

/// <summary>Unique names so that tests sharing one Azurite never see each other's tables or queues.</summary>
public static class TestNames
{
    /// <summary>A table prefix: letters and digits, starting with a letter.</summary>
    public static string TablePrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A provider-like id, valid in a queue name.</summary>
    public static string Id(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";
}
