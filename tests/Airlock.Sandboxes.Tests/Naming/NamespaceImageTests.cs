using Airlock.Sandboxes.Naming;

namespace Airlock.Sandboxes.Tests.Naming;

public sealed class NamespaceImageTests
{
    [Fact]
    public void The_name_is_the_namespace_then_12_hex_digits_of_the_owner()
    {
        NamespaceImage.For("default", NamespaceImage.OwnerId(1000, "/home/dev/.airlock")).ShouldMatch(@"^localhost/airlock:default\.[0-9a-f]{12}$");
    }

    [Fact]
    public void Two_users_or_two_state_directories_get_different_owners()
    {
        var owners = new[]
        {
            NamespaceImage.OwnerId(0, "/root/.airlock"),
            NamespaceImage.OwnerId(1000, "/home/dev/.airlock"),
            NamespaceImage.OwnerId(1001, "/home/dev/.airlock"),
            NamespaceImage.OwnerId(1000, "/home/dev/other-airlock"),
        };

        owners.Distinct().Count().ShouldBe(owners.Length);
    }

    [Fact]
    public void The_owner_is_the_documented_hash_and_ignores_a_trailing_slash()
    {
        // printf '1000:/home/dev/.airlock' | sha256sum | cut -c1-12 (docs/namespaces.md): existing names must never change.
        NamespaceImage.OwnerId(1000, "/home/dev/.airlock").ShouldBe("8fcf8c72e0d7");
        NamespaceImage.OwnerId(1000, "/home/dev/.airlock/").ShouldBe("8fcf8c72e0d7");
    }

    [Fact]
    public void Only_the_old_shared_name_of_the_same_namespace_is_legacy()
    {
        NamespaceImage.IsLegacy("localhost/airlock:work", "work").ShouldBeTrue();
        NamespaceImage.IsLegacy(NamespaceImage.For("work", "0123456789ab"), "work").ShouldBeFalse();
        NamespaceImage.IsLegacy("localhost/airlock:work", "play").ShouldBeFalse();
        NamespaceImage.IsLegacy("registry.example/tools:work", "work").ShouldBeFalse();
    }
}
