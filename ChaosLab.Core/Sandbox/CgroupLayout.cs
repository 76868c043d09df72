namespace ChaosLab.Core.Sandbox;

/// <summary>
/// The cgroup directories under which this server can create one cgroup per run: its own cgroup
/// in the unified (v2) hierarchy, or its own cgroups in the v1 memory and pids hierarchies (the
/// same directory twice for v2). Run cgroups nest under the server's, so they never escape the
/// limits the host put on the server itself.
/// </summary>
internal sealed record CgroupLayout(SandboxResourceControl Kind, string MemoryParent, string PidsParent)
{
    private static readonly string[] Controllers = ["memory", "pids"];

    /// <summary>Finds a usable layout for this process, preferring v2; null with the reason when there is none.</summary>
    public static CgroupLayout? Detect(out string reason)
    {
        string mountInfo, membership;
        try
        {
            mountInfo = File.ReadAllText("/proc/self/mountinfo");
            membership = File.ReadAllText("/proc/self/cgroup");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot read this process's cgroups: {ex.Message}";
            return null;
        }

        var mounts = ParseMounts(mountInfo);
        var memberships = ParseMemberships(membership);
        var v2 = DetectV2(mounts, memberships, out var v2Reason);
        if (v2 is not null)
        {
            reason = string.Empty;
            return v2;
        }

        var v1 = DetectV1(mounts, memberships, out var v1Reason);
        reason = v1 is null ? $"{v2Reason}; {v1Reason}" : string.Empty;
        return v1;
    }

    private static CgroupLayout? DetectV2(List<CgroupMount> mounts, List<CgroupMembership> memberships, out string reason)
    {
        var mount = mounts.Find(m => m.IsV2);
        var own = memberships.Find(m => m.HierarchyId == "0");
        if (mount is null || own is null || ResolveDirectory(mount, own.Path) is not { } directory)
        {
            reason = "no cgroup2 hierarchy holds this process";
            return null;
        }

        var available = ReadWords(Path.Combine(directory, "cgroup.controllers"));
        if (!Controllers.All(available.Contains))
        {
            reason = $"cgroup2 at '{directory}' offers [{string.Join(' ', available)}], not memory and pids (they may be bound to v1)";
            return null;
        }

        if (!Controllers.All(ReadWords(Path.Combine(directory, "cgroup.subtree_control")).Contains))
        {
            try
            {
                File.WriteAllText(Path.Combine(directory, "cgroup.subtree_control"), "+memory +pids");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Typically EBUSY: a v2 cgroup that holds processes (the server) cannot hand
                // controllers to children. A delegated, empty parent is needed then.
                reason = $"cannot enable memory and pids for child cgroups of '{directory}': {ex.Message}";
                return null;
            }
        }

        reason = string.Empty;
        return new CgroupLayout(SandboxResourceControl.CgroupV2, directory, directory);
    }

    private static CgroupLayout? DetectV1(List<CgroupMount> mounts, List<CgroupMembership> memberships, out string reason)
    {
        var memory = FindV1Directory(mounts, memberships, "memory");
        var pids = FindV1Directory(mounts, memberships, "pids");
        if (memory is null || pids is null)
        {
            reason = "no cgroup v1 memory and pids hierarchies hold this process";
            return null;
        }

        reason = string.Empty;
        return new CgroupLayout(SandboxResourceControl.CgroupV1, memory, pids);
    }

    private static string? FindV1Directory(List<CgroupMount> mounts, List<CgroupMembership> memberships, string controller)
    {
        var mount = mounts.Find(m => !m.IsV2 && m.Options.Contains(controller));
        var own = memberships.Find(m => m.Controllers.Contains(controller));
        return mount is null || own is null ? null : ResolveDirectory(mount, own.Path);
    }

    /// <summary>
    /// Maps a cgroup path as /proc/self/cgroup shows it to a directory: a container may mount only
    /// a subtree (mountinfo's root field), and the path is then relative to that root.
    /// </summary>
    private static string? ResolveDirectory(CgroupMount mount, string cgroupPath)
    {
        var root = mount.Root.TrimEnd('/');
        if (cgroupPath != root && !cgroupPath.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var directory = Path.Join(mount.MountPoint, cgroupPath[root.Length..]).TrimEnd('/');
        return Directory.Exists(directory) ? directory : null;
    }

    private static string[] ReadWords(string path)
    {
        try
        {
            return File.ReadAllText(path).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Cgroup mounts from /proc/self/mountinfo: "id parent dev root mountpoint opts... - fstype source superopts".</summary>
    internal static List<CgroupMount> ParseMounts(string mountInfo)
    {
        var mounts = new List<CgroupMount>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var fields = line[..separator].Split(' ');
            var tail = line[(separator + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3 || tail[0] is not ("cgroup" or "cgroup2"))
            {
                continue;
            }

            mounts.Add(new CgroupMount(tail[0] == "cgroup2", fields[3], fields[4], tail[2].Split(',')));
        }

        return mounts;
    }

    /// <summary>Lines of /proc/self/cgroup: "hierarchy-id:controllers:path" ("0::path" for v2).</summary>
    internal static List<CgroupMembership> ParseMemberships(string membership)
    {
        var memberships = new List<CgroupMembership>();
        foreach (var line in membership.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3)
            {
                memberships.Add(new CgroupMembership(parts[0], parts[1].Split(','), parts[2]));
            }
        }

        return memberships;
    }

    internal sealed record CgroupMount(bool IsV2, string Root, string MountPoint, string[] Options);

    internal sealed record CgroupMembership(string HierarchyId, string[] Controllers, string Path);
}
