using Airlock.Sandboxes.Validation;

namespace Airlock.Sandboxes.Tests.Validation;

/// <summary>The one environment-variable name rule of specs, config.yaml, --env, AIRLOCK_ENV_ opt-ins and server execs.</summary>
public sealed class VariableNamesTests
{
    [Theory]
    [InlineData("PATH")]
    [InlineData("_")]
    [InlineData("_private")]
    [InlineData("lower_case")]
    [InlineData("A1")]
    [InlineData("OPENAI_API_KEY")]
    public void Names_a_shell_can_set_are_valid(string name) => VariableNames.IsValid(name).ShouldBeTrue();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1BAD")]
    [InlineData("MY-VAR")]
    [InlineData("A B")]
    [InlineData("A=B")]
    [InlineData("A.B")]
    [InlineData("A\0B")]
    [InlineData("A\nB")]
    [InlineData("ÄPFEL")]
    [InlineData("Ａ")]
    [InlineData("A١")]
    public void Anything_else_is_refused(string? name) => VariableNames.IsValid(name).ShouldBeFalse();

    [Fact]
    public void The_spec_validator_reports_a_bad_name_with_its_path_and_the_rule()
    {
        var spec = new Airlock.Sandboxes.Specs.SandboxSpec { Image = "img", Environment = new Dictionary<string, string> { ["1BAD"] = "x", ["GOOD"] = "y" } };

        var error = SandboxSpecValidator.Validate(spec).ShouldHaveSingleItem();

        error.ShouldBe(new ValidationError("sandbox.environment.1BAD", $"is not a valid variable name ({VariableNames.Rule})"));
    }
}
