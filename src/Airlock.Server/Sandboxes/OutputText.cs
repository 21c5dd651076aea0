using System.Text;
using Airlock.Engine.Streams;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Turns a command's output chunks into text, one decoder per stream, so a UTF-8 character the engine split between two
/// chunks is never mangled; bytes that are not UTF-8 become U+FFFD (binary output belongs in the files API).
/// </summary>
public sealed class OutputText
{
    private readonly Decoder _stdout = new UTF8Encoding(false, false).GetDecoder();
    private readonly Decoder _stderr = new UTF8Encoding(false, false).GetDecoder();

    public string Decode(OutputChunk chunk)
    {
        var decoder = chunk.Kind == OutputKind.Stderr ? _stderr : _stdout;
        var span = chunk.Data.Span;
        var chars = new char[decoder.GetCharCount(span, flush: false)];
        var count = decoder.GetChars(span, chars, flush: false);
        return new string(chars, 0, count);
    }
}
