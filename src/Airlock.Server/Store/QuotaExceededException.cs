namespace Airlock.Server.Store;

/// <summary>A create would take the tenant past its quota; the message names the limit, what is in use and what was asked.</summary>
public sealed class QuotaExceededException(string message) : Exception(message);
