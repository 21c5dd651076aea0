namespace Airlock.Engine.Images;

/// <summary>A line of build output and where the build is: step <see cref="Step"/> of <see cref="TotalSteps"/> (0 until the first step).</summary>
public sealed record BuildProgress(int Step, int TotalSteps, string? Instruction, string Line);
