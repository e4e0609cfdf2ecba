namespace FunctionsHub.Core.Configuration;

/// <summary>
/// Where the configuration document in force is read: every use case asks for <see cref="Current"/>
/// when it needs the document, instead of holding the one it was built with, so that a document
/// reloaded from its blob (validated first; an invalid one refused, the old one kept) takes effect
/// without a restart.
/// </summary>
public interface IHubDocumentSource
{
    HubDocument Current { get; }
}

/// <summary>A document that does not change: from a file, and in tests.</summary>
public sealed class FixedHubDocument(HubDocument document) : IHubDocumentSource
{
    public HubDocument Current => document;
}
