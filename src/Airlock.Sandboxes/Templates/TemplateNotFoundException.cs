namespace Airlock.Sandboxes.Templates;

/// <summary>A template name that is neither a user template nor baked in, or a git template that could not be fetched.</summary>
public sealed class TemplateNotFoundException(string message) : Exception(message);
