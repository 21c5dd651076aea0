using Airlock.Sandboxes.Files;

namespace Airlock.Sandboxes.Tests.Files;

public sealed class FileTreeTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("airlock-tree-").FullName;

    [Fact]
    public void A_walk_lists_links_as_links_and_never_enters_a_linked_directory()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_scratch, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret"), "s");
        var root = Directory.CreateDirectory(Path.Combine(_scratch, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "dir"));
        File.WriteAllText(Path.Combine(root, "dir", "file"), "f");
        File.CreateSymbolicLink(Path.Combine(root, "linkdir"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "linkfile"), Path.Combine(outside, "secret"));

        var entries = FileTree.Walk(root).Select(e => (e.RelativePath, e.Kind, e.LinkTarget)).ToList();

        entries.ShouldBe(
        [
            ("dir", EntryKind.Directory, null),
            ("dir/file", EntryKind.File, null),
            ("linkdir", EntryKind.Link, outside),
            ("linkfile", EntryKind.Link, Path.Combine(outside, "secret")),
        ]);
    }

    public void Dispose() => ConfinedDirectory.DeleteTree(_scratch);
}
