namespace ChaosLab.BenchServers;

public static class RepositoryRoot
{
    /// <summary>The directory holding ChaosLab.sln, searched upwards from the working directory and then from the binary.</summary>
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ChaosLab.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("Run the benchmark inside the ChaosLab repository.");
    }
}
