using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bittensor.Grains;
using Bittensor.Silo;
using Bittensor.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using YamlDotNet.RepresentationModel;
using Bittensor.Testing;

namespace Bittensor.Cloud.Tests;

/// <summary>
/// infra/ deploys what the code runs: the Kubernetes manifests parse and hang together (ports, probes, labels, selectors,
/// secrets), and every setting the manifests and the Bicep template pass is one the silo or worker knows, with a value
/// it accepts at start.
/// </summary>
public sealed partial class InfraTests
{
    private static readonly string Root = Repository.Root;

    /// <summary>Environment variables that are not configuration settings but are read by the platform or the hosting.</summary>
    private static readonly HashSet<string> PlatformVariables =
        ["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "POD_IP", "POD_NAME", "POD_NAMESPACE", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"];

    /// <summary>Every configuration key the silo and workers bind (sections Orleans, Storage, Chain, Worker), from their options types.</summary>
    private static readonly HashSet<string> KnownSettings = BuildKnownSettings();

    private static HashSet<string> BuildKnownSettings()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Orleans:Dashboard" };
        void Add(string section, Type type)
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                if (p.PropertyType == typeof(MembershipSettings)) Add($"{section}:{p.Name}", p.PropertyType);
                else keys.Add($"{section}:{p.Name}");
            }
        }
        Add(ClusterSettings.Section, typeof(ClusterSettings));
        Add(StorageOptions.Section, typeof(StorageOptions));
        Add(ChainOptions.Section, typeof(ChainOptions));
        Add(WorkerOptions.Section, typeof(WorkerOptions));
        Add(TlsSettings.Section, typeof(TlsSettings));
        keys.Add(ClusterSecret.Key);
        return keys;
    }

    private static bool IsKnown(string variable) =>
        PlatformVariables.Contains(variable) || KnownSettings.Contains(variable.Replace("__", ":", StringComparison.Ordinal))
        || variable.StartsWith("Chain__GenesisBalances__", StringComparison.Ordinal);

    // ---- Kubernetes ----

    private static List<YamlMappingNode> Manifests(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "infra", "k8s", file));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static IEnumerable<YamlMappingNode> AllManifests() =>
        Directory.GetFiles(Path.Combine(Root, "infra", "k8s"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").SelectMany(f => Manifests(f!));

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node)[new YamlScalarNode(key)];
        return node;
    }

    private static YamlNode? Try(YamlNode node, params string[] path)
    {
        foreach (var key in path)
            if (node is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(key), out node!)) return null;
        return node;
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static YamlMappingNode Deployment(string name) =>
        AllManifests().Single(m => Text(At(m, "kind")) == "Deployment" && Text(At(m, "metadata", "name")) == name);

    private static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers")).Single();

    /// <summary>A container's environment: literal values, secrets as a placeholder the silo accepts, fields as a sample.</summary>
    private static Dictionary<string, string> Environment(YamlMappingNode container) =>
        ((YamlSequenceNode)At(container, "env")).Cast<YamlMappingNode>().ToDictionary(e => Text(At(e, "name")), e =>
            Try(e, "value") is { } v ? Text(v)
            : Try(e, "valueFrom", "secretKeyRef") is not null ? (Text(At(e, "name")).Contains("ConnectionString", StringComparison.Ordinal) ? "UseDevelopmentStorage=true" : SecretPlaceholder)
            : "10.1.2.3");

    /// <summary>What a secret holds in these checks (a cluster secret needs at least 32 characters).</summary>
    private const string SecretPlaceholder = "secret-placeholder-0123456789abcdef-0123";

    [Fact]
    public void TheManifests_Parse_AndHoldEveryPieceOfADeployment()
    {
        var kinds = AllManifests().Select(m => $"{Text(At(m, "kind"))}/{Text(At(m, "metadata", "name"))}").ToList();
        Assert.Superset(new HashSet<string>(["Deployment/bittensor-silo", "Deployment/bittensor-miner", "Deployment/bittensor-validator",
            "Service/bittensor-api", "Service/bittensor-gateway", "PodDisruptionBudget/bittensor-silo", "ServiceAccount/bittensor-silo",
            "Role/bittensor-silo", "RoleBinding/bittensor-silo", "Secret/bittensor-storage"]), kinds.ToHashSet());
        var listed = ((YamlSequenceNode)At(Manifests("kustomization.yaml")[0], "resources")).Select(Text).Order(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(Root, "infra", "k8s"), "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not "kustomization.yaml" and not "secrets.example.yaml").Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
    }

    [Fact]
    public void EverySettingTheManifestsPass_IsOneTheProcessesKnow()
    {
        foreach (var name in new[] { "bittensor-silo", "bittensor-miner", "bittensor-validator" })
        {
            var unknown = Environment(Container(Deployment(name))).Keys.Where(k => !IsKnown(k)).ToList();
            Assert.True(unknown.Count == 0, $"{name} passes settings nothing reads: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public async Task TheSilosSettings_AreAcceptedAtStart_AndItsPortsProbesAndLabelsAgree()
    {
        var deployment = Deployment("bittensor-silo");
        var container = Container(deployment);
        var env = Environment(container);
        await using var app = SiloApp.Build(Arguments(env));
        _ = app.Services.GetRequiredService<IOptions<ChainOptions>>().Value; // validates Chain:* as the host does at start
        var endpoints = app.Services.GetRequiredService<IOptions<Orleans.Configuration.EndpointOptions>>().Value;

        var ports = ((YamlSequenceNode)At(container, "ports")).Cast<YamlMappingNode>().ToDictionary(p => Text(At(p, "name")), p => int.Parse(Text(At(p, "containerPort")), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ports["silo"], endpoints.SiloPort);
        Assert.Equal(ports["gateway"], endpoints.GatewayPort);
        Assert.EndsWith($":{ports["http"]}", env["ASPNETCORE_URLS"], StringComparison.Ordinal);
        Assert.Equal(System.Net.IPAddress.Any, endpoints.SiloListeningEndpoint?.Address); // the pod's IP is advertised; every interface listens

        Assert.Equal("/health/ready", Text(At(container, "readinessProbe", "httpGet", "path")));
        Assert.Equal("/health/live", Text(At(container, "livenessProbe", "httpGet", "path")));
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.Contains(Text(At(container, probe, "httpGet", "port")), ports.Keys);

        var labels = (YamlMappingNode)At(deployment, "spec", "template", "metadata", "labels");
        Assert.Equal(env["Orleans__ServiceId"], Text(labels["orleans/serviceId"]));
        Assert.Equal(env["Orleans__ClusterId"], Text(labels["orleans/clusterId"]));
        foreach (var m in AllManifests().Where(m => Text(At(m, "kind")) is "Service" or "PodDisruptionBudget"))
        {
            var selector = (YamlMappingNode)(Try(m, "spec", "selector", "matchLabels") ?? At(m, "spec", "selector"));
            Assert.All(selector.Children, s => Assert.Equal(Text(s.Value), Text(labels[s.Key])));
            if (Text(At(m, "kind")) == "Service")
                Assert.All(((YamlSequenceNode)At(m, "spec", "ports")).Cast<YamlMappingNode>(), p => Assert.Contains(Text(At(p, "targetPort")), ports.Keys));
        }
        foreach (var workerName in new[] { "bittensor-miner", "bittensor-validator" })
        {
            var worker = Environment(Container(Deployment(workerName)));
            Assert.Equal((env["Orleans__ServiceId"], env["Orleans__ClusterId"]), (worker["Orleans__ServiceId"], worker["Orleans__ClusterId"]));
        }
    }

    [Fact]
    public void TheWorkersSettings_AreAcceptedAtStart()
    {
        foreach (var name in new[] { "bittensor-miner", "bittensor-validator" })
            AssertWorkerStarts(Environment(Container(Deployment(name))));
    }

    [Fact]
    public void EverySecretTheManifestsRead_IsInTheExample()
    {
        var secrets = Manifests("secrets.example.yaml").ToDictionary(s => Text(At(s, "metadata", "name")), s => ((YamlMappingNode)At(s, "stringData")).Children.Keys.Select(Text).ToHashSet());
        foreach (var name in new[] { "bittensor-silo", "bittensor-miner", "bittensor-validator" })
            foreach (var e in ((YamlSequenceNode)At(Container(Deployment(name)), "env")).Cast<YamlMappingNode>())
                if (Try(e, "valueFrom", "secretKeyRef") is { } secret)
                    Assert.Contains(Text(At(secret, "key")), secrets[Text(At(secret, "name"))]);
    }

    // ---- Bicep ----

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>\w+)',\s*(?<kind>value|secretRef):\s*(?<value>'[^']*'|[\w.()]+)\s*\}")]
    private static partial Regex BicepEnv();

    [GeneratedRegex(@"path:\s*'(?<path>[^']+)'")]
    private static partial Regex BicepProbePath();

    [GeneratedRegex(@"(?<key>\w+): '(?<value>[^']*)'")]
    private static partial Regex BicepField();

    /// <summary>
    /// The Bicep template's environment entries in one section of the file, parameters resolved from main.parameters.json
    /// and <c>w.field</c> from <paramref name="item"/> (an element of a <c>for</c> loop's list).
    /// </summary>
    private static Dictionary<string, string> BicepEnvironment(string section, Dictionary<string, string>? item = null)
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "infra", "azure", "main.parameters.json")))!["parameters"]!.AsObject();
        var env = new Dictionary<string, string>();
        foreach (Match m in BicepEnv().Matches(section))
        {
            string raw = m.Groups["value"].Value;
            env[m.Groups["name"].Value] = m.Groups["kind"].Value == "secretRef" ? (m.Groups["name"].Value.Contains("ConnectionString", StringComparison.Ordinal) ? "UseDevelopmentStorage=true" : SecretPlaceholder)
                : raw.StartsWith('\'') ? raw.Trim('\'')
                : raw.StartsWith("string(", StringComparison.Ordinal) ? parameters[raw[7..^1]]!["value"]!.ToJsonString()
                : raw.StartsWith("w.", StringComparison.Ordinal) && item is not null ? item[raw[2..]]
                : parameters[raw]?["value"]?.ToString() ?? $"<{raw}>";
        }
        return env;
    }

    [Fact]
    public void TheBicepTemplate_PassesOnlySettingsTheProcessesKnow_WithValuesTheyAccept()
    {
        string bicep = File.ReadAllText(Path.Combine(Root, "infra", "azure", "main.bicep"));
        int silo = bicep.IndexOf("resource silo ", StringComparison.Ordinal), worker = bicep.IndexOf("resource worker ", StringComparison.Ordinal);
        var shared = BicepEnvironment(bicep[..silo]);
        var siloEnv = new Dictionary<string, string>(shared.Concat(BicepEnvironment(bicep[silo..worker])));
        int list = bicep.IndexOf("var workers", StringComparison.Ordinal);
        var items = bicep[list..bicep.IndexOf(']', list)].Split('\n').Where(l => l.TrimStart().StartsWith("{ name:", StringComparison.Ordinal))
            .Select(l => BicepField().Matches(l).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value)).ToList();
        Assert.Equal(["miner", "validator"], items.Select(i => i["name"]));
        var workerEnvs = items.Select(i => new Dictionary<string, string>(shared.Concat(BicepEnvironment(bicep[list..], i)))).ToList();
        var unknown = siloEnv.Keys.Concat(workerEnvs.SelectMany(w => w.Keys)).Where(k => !IsKnown(k)).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"main.bicep passes settings nothing reads: {string.Join(", ", unknown)}");
        Assert.DoesNotContain(siloEnv.Values.Concat(workerEnvs.SelectMany(w => w.Values)), v => v.StartsWith('<'));

        using (var app = SiloApp.Build(Arguments(siloEnv)))
            _ = app.Services.GetRequiredService<IOptions<ChainOptions>>().Value;
        workerEnvs.ForEach(AssertWorkerStarts);
        Assert.Equal(["/health/live", "/health/live", "/health/ready"], BicepProbePath().Matches(bicep[silo..worker]).Select(m => m.Groups["path"].Value));
    }

    private static void AssertWorkerStarts(Dictionary<string, string> env)
    {
        var builder = Host.CreateApplicationBuilder(Arguments(env));
        builder.AddBittensorClient();
        builder.Services.AddBittensorWorkers();
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
    }

    /// <summary>An environment as command-line arguments (<c>__</c> becomes <c>:</c>; the environment name becomes <c>--environment</c>).</summary>
    private static string[] Arguments(Dictionary<string, string> env) =>
    [
        .. env.Where(e => !PlatformVariables.Contains(e.Key)).SelectMany(e => new[] { "--" + e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value }),
        "--environment", env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") ?? env.GetValueOrDefault("DOTNET_ENVIRONMENT") ?? "Production",
    ];
}
