namespace Airlock.Engine.Streams;

/// <summary>A piece of a process's output. A TTY merges everything into <see cref="OutputKind.Stdout"/>.</summary>
public readonly record struct OutputChunk(OutputKind Kind, ReadOnlyMemory<byte> Data);
