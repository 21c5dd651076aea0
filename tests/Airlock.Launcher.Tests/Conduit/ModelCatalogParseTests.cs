using Airlock.Launcher.Conduit;

namespace Airlock.Launcher.Tests.Conduit;

public sealed class ModelCatalogParseTests
{
    [Fact]
    public void An_openai_model_list_gives_its_ids_in_order()
    {
        ModelCatalog.Parse("""{"object":"list","data":[{"id":"b","object":"model"},{"id":"a"}]}""").ShouldBe(["b", "a"]);
    }

    [Fact]
    public void An_empty_list_is_a_list()
    {
        ModelCatalog.Parse("""{"data":[]}""").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("<html>hi</html>")]
    [InlineData("[]")]
    [InlineData("""{"models":[{"name":"x"}]}""")]
    [InlineData("""{"data":[{"name":"x"}]}""")]
    [InlineData("""{"data":{"id":"x"}}""")]
    public void Anything_else_is_not_a_model_list(string body)
    {
        ModelCatalog.Parse(body).ShouldBeNull();
    }
}
