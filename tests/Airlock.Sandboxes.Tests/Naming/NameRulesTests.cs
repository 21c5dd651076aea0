using Airlock.Sandboxes.Naming;

namespace Airlock.Sandboxes.Tests.Naming;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("work")]
    [InlineData("my-ns_2")]
    [InlineData("9lives")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij")]
    [InlineData("list-ns")]
    public void A_lowercase_name_of_up_to_40_characters_may_name_a_namespace(string name)
    {
        NameRules.NamespaceProblem(name).ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Work")]
    [InlineData("-dash")]
    [InlineData("_under")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData("../etc")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijx")]
    public void Other_names_are_refused_with_the_rule_spelled_out(string name)
    {
        NameRules.NamespaceProblem(name).ShouldBe(
            $"'{name}' is not a valid namespace name: use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }

    [Fact]
    public void Every_reserved_name_is_refused_as_a_namespace_with_an_alternative()
    {
        NameRules.ReservedNamespaceNames.ShouldContain("list");
        foreach (var name in NameRules.ReservedNamespaceNames)
        {
            NameRules.NamespaceProblem(name).ShouldBe($"'{name}' is reserved: it is an airlock command. Pick another name, e.g. '{name}-ns'");
        }
    }

    [Fact]
    public void A_reserved_namespace_name_may_still_name_a_template()
    {
        NameRules.TemplateProblem("list").ShouldBeNull();
    }

    [Fact]
    public void A_template_name_follows_the_same_character_rules()
    {
        NameRules.TemplateProblem("My Template").ShouldBe(
            "'My Template' is not a valid template name: use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
}
