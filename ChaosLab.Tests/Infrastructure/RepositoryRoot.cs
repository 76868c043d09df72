namespace ChaosLab.Tests.Infrastructure;

/// <summary>The folder holding <c>ChaosLab.sln</c>, found by walking up from the test assembly.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ChaosLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (the folder of ChaosLab.sln) not found above " + AppContext.BaseDirectory);
    }
}
