using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>One process per data directory: a second holder is refused with a message saying what to do.</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Acquire_WhileHeld_ThrowsNamingTheDirectoryAndTheWayOut()
    {
        using var first = DataDirectoryLock.Acquire(_directory.File("chaoslab.db"));

        var refusal = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(_directory.File("chaoslab.db")));

        Assert.Contains(_directory.Path, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--data-dir", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--server <its address>", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_AfterTheHolderReleased_Succeeds()
    {
        DataDirectoryLock.Acquire(_directory.File("chaoslab.db")).Dispose();

        using var again = DataDirectoryLock.Acquire(_directory.File("chaoslab.db"));

        Assert.True(File.Exists(_directory.File(DataDirectoryLock.FileName)));
    }

    [Fact]
    public void Acquire_DirectoryMissing_CreatesIt()
    {
        var nested = Path.Combine(_directory.Path, "new", "data");

        using var held = DataDirectoryLock.Acquire(Path.Combine(nested, "chaoslab.db"));

        Assert.True(Directory.Exists(nested));
    }

    public void Dispose() => _directory.Dispose();
}
