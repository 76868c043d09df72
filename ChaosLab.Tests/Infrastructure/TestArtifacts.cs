using Microsoft.Playwright;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>Where tests leave files for people to look at (screenshots): <c>TestResults/artifacts</c> at the repository root.</summary>
public static class TestArtifacts
{
    public static string Directory { get; } = Locate();

    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, "screenshots", name + ".png");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("CHAOSLAB_ARTIFACTS_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChaosLab.sln")))
            {
                return Path.Combine(dir.FullName, "TestResults", "artifacts");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "artifacts");
    }
}
