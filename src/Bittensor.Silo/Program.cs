using Bittensor.Silo;

SiloApp.Build(args).Run();

/// <summary>The host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
