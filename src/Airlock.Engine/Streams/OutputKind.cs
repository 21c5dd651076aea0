namespace Airlock.Engine.Streams;

/// <summary>Which of a process's streams a chunk of output came from.</summary>
public enum OutputKind
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}
