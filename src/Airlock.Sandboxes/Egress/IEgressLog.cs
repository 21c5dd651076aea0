namespace Airlock.Sandboxes.Egress;

/// <summary>Where an egress proxy sends its <see cref="EgressRecord"/>s. Called concurrently; must not throw for a full disk.</summary>
public interface IEgressLog
{
    ValueTask WriteAsync(EgressRecord record, CancellationToken cancellationToken);
}
