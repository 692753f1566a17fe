using Bittensor.AppHost;

// The deployment diagram: Azurite (tables) → an Orleans cluster of 2 silos (REST API on :5080) ← miners and validators.
var builder = DistributedApplication.CreateBuilder(args);
string root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
NpmTools.EnsureAzurite(root);

var azurite = builder.AddExecutable("azurite", "node", root,
        "node_modules/azurite/dist/src/table/main.js", "--inMemoryPersistence", "--disableTelemetry", "--tableHost", "127.0.0.1")
    .WithHttpEndpoint(name: "table");
var table = azurite.GetEndpoint("table");
azurite.WithArgs(c =>
{
    c.Args.Add("--tablePort");
    c.Args.Add(table.Property(EndpointProperty.TargetPort));
});
var tables = builder.AddResource(new AzureTableStorageResource("tables", table));

var orleans = builder.AddOrleans("cluster")
    .WithClustering(tables)
    .WithGrainStorage("chain", tables);

// The silos prove their calls to one another with a shared secret (the gateway refuses internal calls without it).
string clusterSecret = builder.Configuration["Orleans:ClusterSecret"] ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
var silo = builder.AddProject<Projects.Bittensor_Silo>("silo")
    .WithReplicas(int.TryParse(builder.Configuration["Demo:Silos"], out int silos) ? silos : 2)
    .WithReference(orleans)
    .WithEnvironment("Orleans__ClusterSecret", clusterSecret)
    .WithEnvironment("Orleans__Tls__AllowPlaintext", "true") // a local demo on loopback; a deployment sets Orleans__Tls__Certificate
    .WaitFor(azurite);

// Workers: for each built-in task, one miner process and one validator process running a worker per profile.
string[] tasks = (builder.Configuration["Demo:Tasks"] ?? "matmul,forecast").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
string minerProfiles = builder.Configuration["Demo:MinerProfiles"] ?? "honest,honest,slow,lazy,copier";
string validatorProfiles = builder.Configuration["Demo:ValidatorProfiles"] ?? "honest,honest";
for (int i = 0; i < tasks.Length; i++)
{
    builder.AddProject<Projects.Bittensor_Validator>($"validators-{tasks[i]}")
        .WithReference(orleans.AsClient())
        .WaitFor(silo)
        // A local demo: development keys from the public seed, which a Production worker refuses.
        .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
        .WithEnvironment("Worker__Task", tasks[i])
        .WithEnvironment("Worker__Profiles", validatorProfiles)
        .WithEnvironment("Worker__SeedDemo", i == 0 ? "true" : "false")
        .WithEnvironment("Worker__WeightsEveryBlocks", "5");
    builder.AddProject<Projects.Bittensor_Miner>($"miners-{tasks[i]}")
        .WithReference(orleans.AsClient())
        .WaitFor(silo)
        .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
        .WithEnvironment("Worker__Task", tasks[i])
        .WithEnvironment("Worker__Profiles", minerProfiles);
}

var app = builder.Build();
Console.WriteLine($"""
    Bittensor.Orleans on Aspire
      dashboard : {builder.Configuration["ASPNETCORE_URLS"] ?? "(see the log line 'Login to the dashboard at')"}
      REST API  : http://127.0.0.1:5080/api/chain
      OpenAPI   : http://127.0.0.1:5080/swagger
      Orleans   : http://127.0.0.1:5080/dashboard
    """);
app.Run();
