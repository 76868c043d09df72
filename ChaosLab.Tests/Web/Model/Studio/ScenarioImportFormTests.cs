using System.Text;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Model.Studio;
using Microsoft.AspNetCore.Components.Forms;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class ScenarioImportFormTests
{
    [Fact]
    public async Task Choose_FileOverTheLimit_RefusedWithoutOpeningIt()
    {
        var file = new RecordingFile("big.zip", ScenarioPackFormat.MaxBytes + 1L, []);
        var form = new ScenarioImportForm();

        await form.ChooseAsync(file);

        Assert.False(form.CanImport);
        Assert.False(await form.ImportAsync(new FakeScenarioStudio(), "ada"));
        Assert.StartsWith("big.zip is 16,777,217 bytes", form.Refusal, StringComparison.Ordinal);
        Assert.Equal(0, file.Opened);
    }

    [Fact]
    public async Task Choose_ReadFails_RefusedWithTheReason()
    {
        var form = new ScenarioImportForm();

        await form.ChooseAsync(new RecordingFile("pack.json", 10, Encoding.UTF8.GetBytes("{}"), new IOException("the connection was lost")));

        Assert.False(form.CanImport);
        Assert.Equal("pack.json could not be read: the connection was lost", form.Refusal);
    }

    [Theory]
    [InlineData("/2/world/targets", 2, "/world/targets")]
    [InlineData("/0", 0, "")]
    [InlineData("/format", null, "/format")]
    [InlineData("", null, "")]
    public void Describe_Path_SplitsTheEntryIndexFromTheField(string path, int? entry, string field)
    {
        var problem = Assert.Single(ScenarioImportForm.Describe([new ScenarioError(path, "wrong")], []));

        Assert.Equal((entry, field, "wrong"), (problem.Entry, problem.Field, problem.Message));
    }

    private sealed class RecordingFile(string name, long size, byte[] content, IOException? failure = null) : IBrowserFile
    {
        public int Opened { get; private set; }

        public string Name => name;

        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

        public long Size => size;

        public string ContentType => "application/octet-stream";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default)
        {
            Opened++;
            return failure is null ? new MemoryStream(content) : throw failure;
        }
    }
}
