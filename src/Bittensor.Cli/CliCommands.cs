using System.CommandLine;
using Bittensor.Cli.Commands;
using Bittensor.Keys;

namespace Bittensor.Cli;

/// <summary>
/// The command tree on System.CommandLine: every verb with its options and their help (so <c>VERB --help</c> works),
/// completions for option values, and the action that runs it. Options are read through <see cref="VerbOptions"/>, so
/// each verb keeps its own value rules and messages.
/// </summary>
internal static class CliCommands
{
    /// <summary>Verbs that move funds: they show a quote and ask before submitting, unless <c>--yes</c>.</summary>
    public static readonly IReadOnlySet<string> Spending = new HashSet<string>
    {
        "wallet transfer", "subnets create", "subnets register", "stake add", "stake remove", "stake move", "stake transfer", "stake swap", "stake unstake-all",
    };

    private const string NetworkHelp = "URL of the network's REST API (default $BITTENSOR_NETWORK, else http://127.0.0.1:5080)";

    /// <summary>Help for each option, by "verb option" where a verb means it differently, else by option name.</summary>
    private static readonly Dictionary<string, string> OptionHelp = new()
    {
        ["cases"] = "a case document (JSON) to run",
        ["epoch cases"] = "the yuma-epoch-cases/1 document to run (required)",
        ["block-emission cases"] = "a yuma-block-emission/1 document: one answer per case",
        ["arithmetic"] = "exact (default, subtensor's fixed point), fast or naive",
        ["output"] = "write the JSON to this file instead of standard output",
        ["issuance"] = "total issuance, rao",
        ["uids"] = "UIDs per subnet",
        ["validators"] = "validators per subnet",
        ["density"] = "share of the weight matrix that is set, in (0, 1] (default 1)",
        ["seconds"] = "how long to measure, seconds",
        ["seed"] = "random seed of the synthetic subnet (default 42)",
        ["subnets"] = "subnets to build (1..128)",
        ["sim halving subnets"] = "subnets created at genesis (1..128, default 32)",
        ["sim halving uids"] = "UIDs per subnet, the owner's included (default 256)",
        ["sim halving validators"] = "validators per subnet (default 64); validator k stakes k + 1 TAO",
        ["start-issuance"] = "total issuance at genesis, rao (default: the genesis balances the set-up hands out)",
        ["max-blocks"] = "stop with exit code 1 if no halving by this block (default 21,000,000)",
        ["sim halving tempo"] = "blocks between a subnet's epochs (default 360)",
        ["sim halving seed"] = "seed of the miners' qualities and the validators' noise (default 42)",
        ["scenario"] = "a bittensor-scenario/1 document (JSON; see samples/scenarios)",
        ["sim run output"] = "folder for the CSV files, summary.json, the epochs' cases and results, and charts/ (default sim-output)",
        ["sim compare seed"] = "overrides the scenario's seed (both runs use it)",
        ["strategy"] = "group=strategy[,...]: the agent groups to switch, e.g. copier=honest (validators: honest, copier, lagging_copier, cartel, inactive; miners: honest, lazy, sybil)",
        ["sim compare output"] = "also write the comparison as bittensor-sim-compare/1 JSON to this file",
        ["sim run seed"] = "overrides the scenario's seed",
        ["storage"] = "memory (default) or azurite (starts Azurite from node_modules)",
        ["block-time"] = "block time, a time span (default 00:00:00.100)",
        ["tempo"] = "blocks between a subnet's epochs (default max(10, subnets))",
        ["weights-rate-limit"] = "blocks between a validator's weight sets (default the tempo)",
        ["readers"] = "reader loops per route; reads run 3 × this many loops on one route at a time, as the idle /health measure does (default 2)",
        ["warmup"] = "seconds of load before the measured window opens (default min(10, seconds / 2))",
        ["signers"] = "registering keys working in parallel (default 32)",
        ["json"] = "print machine-readable JSON (no tables, no prompts, no spinner)",
        ["yes"] = "do not ask for confirmation before submitting",
        ["network"] = NetworkHelp,
        ["wallet-path"] = "folder of the wallets (default $BITTENSOR_WALLET_PATH, else ~/.bittensor-orleans/wallets)",
        ["wallet"] = "wallet name (default \"default\")",
        ["hotkey"] = "hotkey name in the wallet (default \"default\")",
        ["mnemonic"] = "restore the coldkey from this BIP39 mnemonic (replaces an existing one)",
        ["hotkey-mnemonic"] = "restore the hotkey from this BIP39 mnemonic (replaces an existing one)",
        ["address"] = "an SS58 address to look at instead of the wallet's coldkey",
        ["dest"] = "the SS58 address to send to",
        ["amount"] = "amount in TAO (up to 9 decimals)",
        ["stake remove amount"] = "amount of alpha to unstake (up to 9 decimals)",
        ["netuid"] = "the subnet's netuid",
        ["subnets set name"] = "the hyperparameter's name (see 'subnets hyperparameters')",
        ["value"] = "the hyperparameter's new value",
        ["set"] = "hyperparameter overrides for the what-if, name=value[,name=value...] (e.g. kappa=40000,liquid_alpha=true)",
        ["subnets whatif epochs"] = "how many of the subnet's epochs to run both ways, 1..32 (default 1)",
        ["subnets whatif weights"] = "weight rows to use instead of these UIDs' rows, \"uid=dest:value[,dest:value...][;uid=...]\" (values 0..65535; quote the ';')",
        ["subnets snapshot blocks"] = "how many blocks the scenario runs (default 10 tempos)",
        ["subnets snapshot output"] = "write the scenario to this file instead of standard output",
        ["hotkey-address"] = "stake on this SS58 hotkey instead of the wallet's",
        ["limit-price"] = "worst price accepted, TAO per alpha",
        ["stake swap limit-price"] = "lowest origin/destination price ratio accepted after the swap (e.g. 0.95)",
        ["allow-partial"] = "with --limit-price: fill as much as the limit allows instead of refusing",
        ["timelock"] = "seal the weights to a future round of the chain's beacon (commit_timelocked_weights, commit-reveal v4); the chain decrypts and sets them in their reveal epoch",
        ["reveal-round"] = "with --timelock: the beacon round to seal to (default: the round published a few blocks into the reveal epoch)",
        ["alpha-only"] = "unstake_all_alpha: every subnet but root (root does not exist yet here, so the same as without)",
        ["origin-netuid"] = "the subnet the stake is on now",
        ["dest-netuid"] = "the subnet to move it to (default: the origin subnet)",
        ["stake swap dest-netuid"] = "the subnet to move it to",
        ["dest-hotkey"] = "the SS58 hotkey to move the stake to (default: the same hotkey)",
        ["stake transfer dest"] = "the SS58 coldkey to give the stake to",
        ["stake move amount"] = "amount of alpha to move (up to 9 decimals)",
        ["stake transfer amount"] = "amount of alpha to give (up to 9 decimals)",
        ["stake swap amount"] = "amount of alpha to swap (up to 9 decimals)",
        ["stake unstake-all hotkey-address"] = "unstake from this SS58 hotkey instead of the wallet's",
        ["take"] = "the delegate take as a fraction, 0..0.18 (e.g. 0.09)",
        ["sudo set-take hotkey-address"] = "set the take of this SS58 hotkey (owned by the wallet's coldkey) instead of the wallet's",
        ["sudo get-take hotkey-address"] = "show the take of this SS58 hotkey instead of the wallet's",
        ["weights set uids"] = "comma-separated UIDs",
        ["weights"] = "comma-separated weights (u16) in the order of --uids",
        ["version-key"] = "the weights version key (default the subnet's weights_version_key)",
        ["salt"] = "comma-separated salt (u16) hashed into the commit; 'weights commit' makes 8 random values unless given, and prints them",
        ["children"] = "comma-separated child hotkeys (SS58), in the order of --proportions",
        ["proportions"] = "comma-separated fractions 0..1 of the hotkey's stake weight lent to each child (summing to at most 1)",
        ["subnet-name"] = "the subnet's name (at most 256 bytes)",
        ["github-repo"] = "the subnet's source repository (at most 1024 bytes)",
        ["subnet-contact"] = "how to reach the subnet's team (at most 1024 bytes)",
        ["subnet-url"] = "the subnet's web site (at most 1024 bytes)",
        ["discord"] = "the subnet's Discord (at most 256 bytes)",
        ["description"] = "what the subnet does (at most 1024 bytes)",
        ["logo-url"] = "the subnet's logo (at most 1024 bytes)",
        ["additional"] = "anything else (at most 1024 bytes)",
        ["ip"] = "the axon's IP address",
        ["port"] = "the axon's port (1..65535)",
        ["protocol"] = "the axon's protocol (default 4)",
        ["version"] = "the axon's version (default 0)",
        ["axon serve name"] = "the axon's name",
        ["from"] = "the first block to show (default: the newest blocks)",
        ["chain blocks limit"] = "how many blocks (1..100, default 20)",
        ["chain events limit"] = "how many events (1..1000, default 100)",
        ["block"] = "only this block's events",
        ["kind"] = "only these kinds of event, comma-separated (Transfer, StakeAdded, EpochCompleted, …)",
        ["account"] = "only events naming this SS58 address (as coldkey, hotkey or destination)",
        ["chain events netuid"] = "only events in this subnet",
        ["chain watch netuid"] = "only events in this subnet",
        ["after"] = "start after this event id (a page's 'next', or the last id seen)",
        ["count"] = "stop after this many events (default: run until interrupted)",
    };

    private static readonly Dictionary<string, string[]> ValueCompletions = new()
    {
        ["arithmetic"] = ["exact", "fast", "naive"],
        ["storage"] = ["memory", "azurite"],
        ["subnets set name"] = ["tempo", "weights_rate_limit", "max_burn", "min_burn", "task", "kappa", "immunity_period", "max_allowed_validators",
            "commit_reveal_weights_enabled", "commit_reveal_period"],
    };

    public static RootCommand Build(CliHost host)
    {
        var root = new RootCommand("bittensor: wallets, subnets, stake, weights and axons on a Bittensor.Orleans network, and the epoch's tools")
        {
            HelpName = "bittensor",
        };
        root.SetAction(parsed =>
        {
            Help(parsed, host);
            return 2; // no verb: a usage error
        });

        root.Add(Verb("epoch", "Run a yuma-epoch-cases/1 document and print yuma-epoch-results/1 JSON",
            ["cases", "arithmetic", "output"], [], (o, h) => EpochCommand.RunAsync(o, h.Out), host));
        root.Add(Verb("block-emission", "Rao emitted per block at an issuance (--issuance), or for each case of a document (--cases)",
            ["issuance", "cases", "output"], [], (o, h) => BlockEmissionCommand.RunAsync(o, h.Out), host));
        root.Add(Group("bench", "Benchmarks",
            Verb("bench epoch", "Time the epoch's exact, fast and naive back ends on a synthetic subnet",
                ["uids", "validators", "density", "seconds", "seed"], ["json"], (o, h) => BenchCommand.RunAsync(o, h.Out), host),
            Verb("bench network", "Run a silo in this process, build subnets by signed transactions, and measure blocks, transactions and reads",
                NetworkBench.Options, ["json"], (o, h) => NetworkBench.RunAsync(o, h.Out, h.Error), host)));

        root.Add(Group("sim", "Simulations on the runtime in this process (no grains, timers or storage)",
            Verb("sim halving", "Run from genesis to the first halving, every subnet's epochs every tempo; progress on standard error, a JSON line at the end",
                SimCommand.HalvingOptions, ["json"], (o, h) => SimCommand.HalvingAsync(o, h.Out, h.Error), host),
            Verb("sim run", "Run a bittensor-scenario/1 document; write CSV files, a JSON summary, every epoch as a re-runnable case, and charts (PNG, SVG)",
                SimRunCommand.Options, [], (o, h) => SimRunCommand.RunAsync(o, h.Out, h.Error), host),
            Verb("sim compare", "Run a scenario as written and with agent groups switched to other strategies; print each agent's payoff difference",
                SimCompareCommand.Options, ["json"], (o, h) => SimCompareCommand.RunAsync(o, h.Out, h.Error), host)));

        foreach (var group in NetworkCommands.Verbs.GroupBy(v => v.Key.Split(' ')[0]))
        {
            Command Make(KeyValuePair<string, (string Help, string[] Options)> v) => Verb(v.Key, v.Value.Help, [.. NetworkCommands.Common, .. v.Value.Options],
                [.. Spending.Contains(v.Key) ? ["json", "yes"] : new[] { "json" }, .. NetworkCommands.Flags.GetValueOrDefault(v.Key, [])],
                (o, h) => new NetworkCommands(h).RunAsync(o), host);
            var commands = group.Where(v => v.Key.Split(' ').Length == 2).Select(Make).ToList();
            // Three-word verbs ("stake child get") sit in a subgroup of their group ("stake child").
            foreach (var sub in group.Where(v => v.Key.Split(' ').Length == 3).GroupBy(v => v.Key.Split(' ')[1]))
                commands.Add(Group(sub.Key, NetworkCommands.GroupHelp[$"{group.Key} {sub.Key}"], [.. sub.Select(Make)]));
            root.Add(Group(group.Key, NetworkCommands.GroupHelp[group.Key], [.. commands]));
        }

        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh" };
        shell.CompletionSources.Add(CompletionScripts.Shells);
        var completion = new Command("completion", "Print a shell completion script: eval \"$(bittensor completion bash)\"") { shell };
        completion.SetAction(async parsed =>
        {
            await host.Out.WriteAsync(CompletionScripts.For(parsed.GetValue(shell)!));
            return 0;
        });
        root.Add(completion);

        var help = new Command("help", "Show this help");
        help.SetAction(parsed =>
        {
            Help(parsed, host);
            return 0;
        });
        root.Add(help);
        return root;
    }

    /// <summary>The name of a parsed command as users type it ("stake add").</summary>
    public static string PathOf(Command command) =>
        string.Join(' ', Enumerable.Reverse(Lineage(command)).Where(c => c is not RootCommand).Select(c => c.Name));

    private static IEnumerable<Command> Lineage(Command command)
    {
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault()) yield return c;
    }

    /// <summary>Writes the top-level help (the verbs) to standard output.</summary>
    private static void Help(ParseResult parsed, CliHost host) =>
        parsed.RootCommandResult.Command.Parse("--help").Invoke(new InvocationConfiguration { Output = host.Out, Error = host.Error });

    private static Command Group(string name, string description, params Command[] verbs)
    {
        var group = new Command(name, description);
        foreach (var verb in verbs) group.Add(verb);
        group.SetAction((Func<ParseResult, int>)(_ => throw new UsageException($"{name}: expected one of: {string.Join(", ", verbs.Select(v => v.Name))}")));
        return group;
    }

    private static Command Verb(string path, string description, string[] options, string[] flags,
        Func<VerbOptions, CliHost, Task<int>> run, CliHost host)
    {
        var command = new Command(path.Split(' ')[^1], description);
        var byName = new Dictionary<string, Option>();
        foreach (string name in options)
        {
            var option = new Option<string>($"--{name}")
            {
                Description = HelpFor(path, name),
                HelpName = name is "cases" or "output" or "scenario" ? "FILE" : name is "network" ? "URL" : "VALUE",
            };
            if (Lookup(ValueCompletions, path, name) is { } values) option.CompletionSources.Add(values);
            if (name == "wallet")
                option.CompletionSources.Add(context => WalletNames(byName.GetValueOrDefault("wallet-path") is Option<string> path ? context.ParseResult.GetValue(path) : null));
            command.Add(option);
            byName[name] = option;
        }
        foreach (string name in flags)
        {
            var flag = name == "yes" ? new Option<bool>("--yes", "-y") : new Option<bool>($"--{name}");
            flag.Description = HelpFor(path, name);
            command.Add(flag);
            byName[name] = flag;
        }
        command.SetAction((parsed, _) => run(new VerbOptions(parsed, path, byName), host));
        return command;
    }

    private static string HelpFor(string verb, string option) => Lookup(OptionHelp, verb, option) ?? option;

    private static T? Lookup<T>(Dictionary<string, T> table, string verb, string option) where T : class =>
        table.GetValueOrDefault($"{verb} {option}") ?? table.GetValueOrDefault(option);

    /// <summary>The wallets in <paramref name="path"/> (else the default folder), for completing <c>--wallet</c>.</summary>
    private static IEnumerable<string> WalletNames(string? path)
    {
        try
        {
            return (path is null ? WalletStore.Default() : new WalletStore(path)).List();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
