using System.Globalization;
using System.Runtime.InteropServices;
using Airlock.Engine.Native;

namespace Airlock.Engine.Discovery;

/// <summary>
/// Whether a unix socket may be trusted as an engine: whoever answers on it receives every request Airlock sends (the
/// files it mounts, the images it builds). The socket, after resolving every link on the way, must belong to root or to
/// this user, and so must every directory on its real path; a directory others can write must be sticky (/tmp), so that
/// nobody but its owner can replace an entry in it. Another local user can then neither plant a socket where Airlock
/// looks nor swap one in later.
/// </summary>
public static class SocketTrust
{
    private const uint OthersWrite = 0x12; // S_IWGRP | S_IWOTH
    private const uint Sticky = 0x200;
    private const uint TypeSocket = 0xC000;

    /// <summary>Null when <paramref name="socketPath"/> is trustworthy for <paramref name="uid"/>, else why not (in words for <c>airlock doctor</c>).</summary>
    public static string? Problem(string socketPath, int uid)
    {
        string real;
        try
        {
            real = RealPath(socketPath);
        }
        catch (IOException ex)
        {
            return ex.Message;
        }

        if (Posix.StatAt(Posix.AtFdCwd, real, out var socket) != 0)
        {
            return $"{real}: {Posix.Describe(Marshal.GetLastPInvokeError())}";
        }

        if ((socket.Mode & Posix.FileTypeMask) != TypeSocket)
        {
            return $"not trusted: {real} is not a socket";
        }

        if (!TrustedOwner(socket.Uid, uid))
        {
            return $"not trusted: {real} belongs to uid {socket.Uid}, neither root nor you (uid {uid}); another user may be posing as an engine";
        }

        for (var dir = Path.GetDirectoryName(real); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Posix.StatAt(Posix.AtFdCwd, dir, out var stat) != 0)
            {
                return $"{dir}: {Posix.Describe(Marshal.GetLastPInvokeError())}";
            }

            if (!TrustedOwner(stat.Uid, uid))
            {
                return $"not trusted: {dir} (above {real}) belongs to uid {stat.Uid}, neither root nor you (uid {uid}); another user could replace the socket";
            }

            if ((stat.Mode & OthersWrite) != 0 && (stat.Mode & Sticky) == 0)
            {
                return $"not trusted: {dir} (above {real}) is writable by others (mode {Convert.ToString(stat.Mode & 0xFFF, 8)}); another user could replace the socket";
            }
        }

        return null;
    }

    private static bool TrustedOwner(uint owner, int uid) => owner == 0 || owner == (uint)uid;

    /// <summary>realpath(3): every link on the way resolved, so what is checked is what is connected to.</summary>
    internal static string RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++hops > 40)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{path}: too many levels of symbolic links"));
            }

            foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }

            if (target.StartsWith('/'))
            {
                current = "/";
            }
        }

        return current;
    }
}
