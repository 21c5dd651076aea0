namespace Airlock.Sandboxes.Templates;

/// <summary>
/// A template that cannot be used as it is: it does not list the engine's platform, or its files hold what a template
/// may not (a link out of it, a device, an unsafe template.yaml). The message says what was wrong and how to fix it;
/// the launcher exits 2 with it, the server answers 400.
/// </summary>
public sealed class TemplateRefusedException(string message) : Exception(message);
