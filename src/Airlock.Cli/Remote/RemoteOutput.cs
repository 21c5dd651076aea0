using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace Airlock.Cli.Remote;

/// <summary>How client commands print: JSON written as-is (never wrapped or marked up), tables and fields for people.</summary>
public static class RemoteOutput
{
    public static void Json<T>(CliContext context, T value, JsonTypeInfo<T> type) =>
        context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>Two columns of field names and values, as <c>get</c> commands print one object.</summary>
    public static void Fields(CliContext context, IEnumerable<(string Name, string Value)> fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Text(name + ":"), new Text(value));
        }

        context.Out.Write(grid);
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().AddColumns(columns);
        table.Border = TableBorder.Rounded;
        return table;
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Labels(IReadOnlyDictionary<string, string>? labels) =>
        labels is { Count: > 0 } ? string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) : "-";
}
