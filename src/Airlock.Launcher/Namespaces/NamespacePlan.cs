using Airlock.Launcher.Config;
using Airlock.Sandboxes.Templates;

namespace Airlock.Launcher.Namespaces;

/// <summary>
/// The entry creating a namespace registers, and what its template asked for that it did not get (a git template's
/// wider network, <see cref="Sandboxes.Templates.WithheldNetwork"/>): the caller tells the person, who decides.
/// </summary>
public sealed record NamespacePlan(NamespaceConfig Entry, WithheldNetwork? WithheldNetwork);
