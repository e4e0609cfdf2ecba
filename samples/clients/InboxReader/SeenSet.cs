namespace Samples.Provider;

/// <summary>
/// The ids of the messages already handled, one per line in a file, so that a referral that arrives twice
/// (the storage-queue transport can deliver one twice after a failure; Service Bus drops repeats only within
/// its duplicate-detection window) is handled once.
/// PRODUCTION: keep this in your own case database, written in the same transaction as the case itself,
/// so that "handled" and "recorded as handled" cannot drift apart. A file is enough for one reader process.
/// </summary>
public sealed class SeenSet
{
    private readonly string _path;
    private readonly HashSet<string> _ids;

    public SeenSet(string path)
    {
        _path = path;
        _ids = File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];
    }

    public bool Contains(string id) => _ids.Contains(id);

    public async Task AddAsync(string id, CancellationToken cancellationToken)
    {
        if (_ids.Add(id))
        {
            await File.AppendAllLinesAsync(_path, [id], cancellationToken);
        }
    }
}
