using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Bittensor.Cli.Commands;

/// <summary>
/// btcli for this network, over its REST API (<c>--network URL</c>, default http://127.0.0.1:5080): wallets, subnets,
/// stake, weights, axons, chain info. Tables for people, <c>--json</c> for scripts; a failure prints the server's
/// code and sentence and exits 1.
/// </summary>
internal sealed partial class NetworkCommands(CliHost host)
{
    /// <summary>Options every network verb takes.</summary>
    public static readonly string[] Common = ["network", "wallet-path", "wallet", "hotkey"];

    public static readonly IReadOnlyDictionary<string, string> GroupHelp = new Dictionary<string, string>
    {
        ["wallet"] = "Wallets: an encrypted coldkey and hotkeys; balances, transfers, the faucet",
        ["subnets"] = "Subnets: list, inspect, create, register a neuron, hyperparameters",
        ["stake"] = "Stake TAO on a hotkey in a subnet (alpha), unstake, move, transfer, swap, list",
        ["stake child"] = "Childkeys: lend a hotkey's stake weight on a subnet to child hotkeys, and a child's take",
        ["weights"] = "A validator's weights",
        ["axon"] = "A miner's axon",
        ["chain"] = "The chain: block, issuance, emission, halving; blocks, events, and a live event stream",
        ["sudo"] = "A delegate's settings: its take",
    };

    public static readonly IReadOnlyDictionary<string, (string Help, string[] Options)> Verbs = new Dictionary<string, (string, string[])>
    {
        ["wallet create"] = ("Create a wallet (a coldkey encrypted with a password, and a hotkey), or restore one from mnemonics", ["mnemonic", "hotkey-mnemonic"]),
        ["wallet list"] = ("List the wallets and their keys", []),
        ["wallet balance"] = ("Free balance and next nonce of the wallet's coldkey (or --address)", ["address"]),
        ["wallet transfer"] = ("Send TAO from the wallet's coldkey to an address", ["dest", "amount"]),
        ["wallet faucet"] = ("Draw TAO from a development network's faucet (to the coldkey, or the hotkey with --hotkey)", ["amount"]),
        ["subnets list"] = ("Every subnet: price, pool, tempo, task, owner", []),
        ["subnets show"] = ("One subnet's state", ["netuid"]),
        ["subnets create"] = ("Create a subnet owned by the wallet (locks the network lock cost)", []),
        ["subnets register"] = ("Register the wallet's hotkey in a subnet (burns the registration cost)", ["netuid"]),
        ["subnets metagraph"] = ("A subnet's neurons: stake, incentive, dividends, consensus, trust, emission, axons", ["netuid"]),
        ["subnets hyperparameters"] = ("A subnet's hyperparameters", ["netuid"]),
        ["subnets set"] = ("Set a hyperparameter of a subnet the wallet owns", ["netuid", "name", "value"]),
        ["subnets start"] = ("Start the emission of a subnet the wallet owns (start_call; once, after the start delay)", ["netuid"]),
        ["subnets identity"] = ("Set the identity of a subnet the wallet owns (each field optional; empty when left out)",
            ["netuid", "subnet-name", "github-repo", "subnet-contact", "subnet-url", "discord", "description", "logo-url", "additional"]),
        ["subnets whatif"] = ("Fork the subnet's live state and run its next epochs as they come and with hyperparameter overrides and weight edits; per UID incentive, dividends, emission and stake before and after (changes nothing)",
            ["netuid", "set", "weights", "epochs"]),
        ["subnets snapshot"] = ("Download the subnet's live state as a bittensor-scenario/1 document, to continue it offline with 'sim run'", ["netuid", "blocks", "output"]),
        ["stake add"] = ("Stake TAO on a hotkey in a subnet (buys alpha from the subnet's pool)", ["netuid", "amount", "hotkey-address", "limit-price"]),
        ["stake remove"] = ("Unstake alpha from a hotkey in a subnet (sells it to the pool for TAO)", ["netuid", "amount", "hotkey-address", "limit-price"]),
        ["stake list"] = ("The wallet's (or --address's) stakes", ["address"]),
        ["stake move"] = ("Move the wallet's stake to another hotkey and/or subnet (same coldkey; across subnets it sells and buys through both pools)",
            ["origin-netuid", "dest-netuid", "dest-hotkey", "amount", "hotkey-address"]),
        ["stake transfer"] = ("Give the wallet's stake on a hotkey to another coldkey, on the same or another subnet",
            ["origin-netuid", "dest-netuid", "dest", "amount", "hotkey-address"]),
        ["stake swap"] = ("Move the wallet's stake on a hotkey from one subnet to another (sells on one pool, buys on the other)",
            ["origin-netuid", "dest-netuid", "amount", "hotkey-address", "limit-price"]),
        ["stake child get"] = ("A hotkey's children, parents, pending children and childkey take on a subnet (the wallet's hotkey, or --hotkey-address)", ["netuid", "hotkey-address"]),
        ["stake child set"] = ("Lend parts of the wallet hotkey's stake weight on a subnet to at most 5 child hotkeys (applies after a cooldown of 7,200 blocks once the subnet started)",
            ["netuid", "children", "proportions", "hotkey-address"]),
        ["stake child revoke"] = ("Remove every child of the wallet's hotkey on a subnet (after the same cooldown)", ["netuid", "hotkey-address"]),
        ["stake child take"] = ("Show, or with --take set (0..0.18), the part of its parents' dividends the hotkey keeps as a child on a subnet", ["netuid", "take", "hotkey-address"]),
        ["stake unstake-all"] = ("Unstake everything the wallet stakes on a hotkey, in every subnet, for TAO", ["hotkey-address"]),
        ["weights set"] = ("Set the wallet hotkey's weights in a subnet (validators); on a commit-reveal subnet, commit them and reveal them when the reveal epoch comes",
            ["netuid", "uids", "weights", "version-key"]),
        ["weights commit"] = ("Commit the hash of weights (commit-reveal); prints the salt that 'weights reveal' needs. With --timelock, seal the weights to a " +
            "round of the chain's beacon instead (commit_timelocked_weights): the chain reveals them itself", ["netuid", "uids", "weights", "version-key", "salt", "reveal-round"]),
        ["weights reveal"] = ("Reveal committed weights in their reveal epoch (the same uids, weights, salt and version key)", ["netuid", "uids", "weights", "version-key", "salt"]),
        ["axon serve"] = ("Announce the wallet hotkey's axon in a subnet (miners)", ["netuid", "ip", "port", "protocol", "version", "name"]),
        ["chain info"] = ("Block, issuance, block emission, the next halving, lock cost", []),
        ["chain blocks"] = ("Blocks with their hash, extrinsics (applied and refused) and events: the newest, or from --from", ["from", "limit"]),
        ["chain events"] = ("Events, filtered by --block, --kind, --account and --netuid; the next page with --after", ["block", "kind", "account", "netuid", "after", "limit"]),
        ["chain watch"] = ("Follow the chain's events as they happen (filtered by --kind, --netuid, --account); reconnects where it left off", ["kind", "netuid", "account", "after", "count"]),
        ["sudo set-take"] = ("Set the wallet hotkey's delegate take, 0..0.18 (raising it is limited to once per 216,000 blocks; lowering is immediate)",
            ["take", "hotkey-address"]),
        ["sudo get-take"] = ("A hotkey's delegate take (the wallet's, or --hotkey-address)", ["hotkey-address"]),
    };

    /// <summary>Flags (options without a value) a verb takes besides <c>--json</c> and <c>--yes</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Flags = new Dictionary<string, string[]>
    {
        ["stake add"] = ["allow-partial"],
        ["stake remove"] = ["allow-partial"],
        ["stake swap"] = ["allow-partial"],
        ["stake unstake-all"] = ["alpha-only"],
        ["weights commit"] = ["timelock"],
    };

    private readonly TextWriter _stdout = host.Out;
    private VerbOptions _args = null!;
    private NetworkClient _client = null!;
    private WalletStore _store = null!;
    private bool _json;

    /// <summary>Where prompts, confirmations and the spinner go: the terminal, unless the output is for a program.</summary>
    private IAnsiConsole? Terminal => _json ? null : host.Terminal;

    public async Task<int> RunAsync(VerbOptions args)
    {
        string verb = args.Verb;
        _args = args;
        _json = _args.Flag("json");
        string network = _args.Get("network") ?? host.Environment("BITTENSOR_NETWORK") ?? "http://127.0.0.1:5080";
        if (!Uri.TryCreate(network, UriKind.Absolute, out var baseUri)) throw new UsageException($"{verb}: '--network' must be a URL, got '{network}'");
        using var http = host.Handler is null ? new HttpClient() : new HttpClient(host.Handler, disposeHandler: false);
        http.BaseAddress = baseUri;
        http.Timeout = TimeSpan.FromSeconds(60);
        _client = new NetworkClient(http);
        _store = _args.Get("wallet-path") is { } path ? new WalletStore(path) : WalletStore.Default();
        try
        {
            return verb switch
            {
                "wallet create" => WalletCreate(),
                "wallet list" => WalletList(),
                "wallet balance" => await Show(await _client.GetAsync($"/api/accounts/{AddressOrColdkey()}"), Balance),
                "wallet transfer" => await Submit(Coldkey(), "transfer", new JsonObject { ["dest"] = Ss58Option("dest"), ["amount"] = TaoOption("amount") }),
                "wallet faucet" => await Submit(_args.Get("hotkey") is null ? Coldkey() : Hotkey(), "faucet", new JsonObject { ["amount"] = TaoOption("amount") }),
                "subnets list" => await Show(await _client.GetAsync("/api/subnets"), SubnetTable),
                "subnets show" => await Show(await _client.GetAsync($"/api/subnets/{Netuid()}"), SubnetDetails),
                "subnets create" => await Submit(Coldkey(), "register_network", new JsonObject { ["hotkey"] = HotkeyAddress() }),
                "subnets register" => await Submit(Coldkey(), "burned_register", new JsonObject { ["netuid"] = Netuid(), ["hotkey"] = HotkeyAddress() }),
                "subnets metagraph" => await Show(await _client.GetAsync($"/api/subnets/{Netuid()}/metagraph"), Metagraph),
                "subnets hyperparameters" => await Show((await _client.GetAsync($"/api/subnets/{Netuid()}")).GetProperty("hyperparameters"), Hyperparameters),
                "subnets whatif" => await Show(await _client.PostAsync($"/api/subnets/{Netuid()}/whatif", WhatIfBody()), WhatIfTable),
                "subnets snapshot" => await Snapshot(),
                "subnets set" => await Submit(Coldkey(), "set_hyperparameter", new JsonObject { ["netuid"] = Netuid(), ["name"] = _args.Require("name"), ["value"] = _args.Require("value") }),
                "subnets start" => await Submit(Coldkey(), "start_call", new JsonObject { ["netuid"] = Netuid() }),
                "subnets identity" => await Submit(Coldkey(), "set_subnet_identity", IdentityArgs()),
                "stake add" => await Submit(Coldkey(), Limited("add_stake"), StakeArgs()),
                "stake remove" => await Submit(Coldkey(), Limited("remove_stake"), StakeArgs()),
                "stake move" => await Submit(Coldkey(), "move_stake", MoveArgs(new JsonObject
                {
                    ["origin_hotkey"] = StakeHotkey(),
                    ["destination_hotkey"] = _args.Get("dest-hotkey") is { } dest ? Ss58Required(dest, "dest-hotkey") : StakeHotkey(),
                })),
                "stake transfer" => await Submit(Coldkey(), "transfer_stake", MoveArgs(new JsonObject
                {
                    ["destination_coldkey"] = Ss58Option("dest"), ["hotkey"] = StakeHotkey(),
                })),
                "stake swap" => await Submit(Coldkey(), Limited("swap_stake"), MoveArgs(new JsonObject { ["hotkey"] = StakeHotkey() }, swap: true)),
                "stake unstake-all" => await Submit(Coldkey(), _args.Flag("alpha-only") ? "unstake_all_alpha" : "unstake_all", new JsonObject { ["hotkey"] = StakeHotkey() }),
                "stake list" => await StakeList(),
                "stake child get" => await Show(await _client.GetAsync($"/api/subnets/{Netuid()}/children/{StakeHotkey()}"), Childkeys),
                "stake child set" => await Submit(Coldkey(), "set_children", new JsonObject { ["hotkey"] = StakeHotkey(), ["netuid"] = Netuid(), ["children"] = ChildrenArg() }),
                "stake child revoke" => await Submit(Coldkey(), "set_children", new JsonObject { ["hotkey"] = StakeHotkey(), ["netuid"] = Netuid(), ["children"] = new JsonArray() }),
                "stake child take" => _args.Get("take") is null
                    ? await Show(await _client.GetAsync($"/api/subnets/{Netuid()}/children/{StakeHotkey()}"), Childkeys)
                    : await Submit(Coldkey(), "set_childkey_take", new JsonObject
                    {
                        ["hotkey"] = StakeHotkey(), ["netuid"] = Netuid(), ["take"] = (int)Math.Round(_args.Double("take", 0, 0, 0.18) * 65535),
                    }),
                "weights set" => await WeightsSet(),
                "weights commit" => await WeightsCommit(),
                "weights reveal" => await WeightsReveal(),
                "axon serve" => await Submit(Hotkey(), "serve_axon", new JsonObject
                {
                    ["netuid"] = Netuid(), ["ip"] = _args.Require("ip"), ["port"] = _args.Int("port", 0, 1, 65535),
                    ["protocol"] = _args.Int("protocol", 4, 0, 255), ["version"] = _args.Int("version", 0, 0, int.MaxValue), ["name"] = _args.Get("name"),
                }),
                "chain info" => await Show(await _client.GetAsync("/api/chain"), ChainInfo),
                "chain blocks" => await ChainBlocks(),
                "chain events" => await ChainEvents(),
                "chain watch" => await ChainWatch(),
                "sudo set-take" => await Submit(Coldkey(), "set_take", new JsonObject
                {
                    ["hotkey"] = StakeHotkey(), ["take"] = (int)Math.Round(_args.Double("take", double.NaN, 0, 0.18) is var t && !double.IsNaN(t) ? t * 65535
                        : throw new UsageException("sudo set-take: missing required option '--take'")),
                }),
                "sudo get-take" => await GetTake(),
                _ => throw new UsageException($"unknown verb '{verb}'"),
            };
        }
        catch (NetworkException e)
        {
            await _stdout.FlushAsync();
            throw new CliFailure(e.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or System.Security.Cryptography.CryptographicException or InvalidOperationException or FormatException)
        {
            throw new CliFailure(e.Message);
        }
    }

    private int WalletCreate()
    {
        string wallet = _args.Get("wallet") ?? "default";
        string hotkey = _args.Get("hotkey") ?? "default";
        var result = new JsonObject { ["wallet"] = wallet };
        if (!File.Exists(Path.Combine(_store.Root, wallet, "coldkey")) || _args.Get("mnemonic") is not null)
        {
            var (address, mnemonic) = _store.CreateColdkey(wallet, Password(confirm: true), _args.Get("mnemonic"), overwrite: _args.Get("mnemonic") is not null);
            result["coldkey"] = address;
            if (_args.Get("mnemonic") is null) result["coldkeyMnemonic"] = mnemonic;
        }
        else result["coldkey"] = _store.ColdkeyAddress(wallet);
        if (!_store.Hotkeys(wallet).Any(h => h.Name == hotkey) || _args.Get("hotkey-mnemonic") is not null)
        {
            var (address, mnemonic) = _store.CreateHotkey(wallet, hotkey, _args.Get("hotkey-mnemonic"), overwrite: _args.Get("hotkey-mnemonic") is not null);
            result["hotkey"] = address;
            if (_args.Get("hotkey-mnemonic") is null) result["hotkeyMnemonic"] = mnemonic;
        }
        else result["hotkey"] = _store.Hotkeys(wallet).Single(h => h.Name == hotkey).Address;
        if (_json)
        {
            _stdout.WriteLine(result.ToJsonString());
            return 0;
        }
        var table = Columns("wallet", "key", "name", "address");
        table.AddRow(Cell(wallet), Cell("coldkey"), Cell(""), Cell(result["coldkey"]));
        table.AddRow(Cell(""), Cell("hotkey"), Cell(hotkey), Cell(result["hotkey"]));
        host.Tables.Write(table);
        if (result["coldkeyMnemonic"] is { } cm) _stdout.WriteLine($"back up the coldkey mnemonic: {cm}");
        if (result["hotkeyMnemonic"] is { } hm) _stdout.WriteLine($"back up the hotkey mnemonic:  {hm}");
        return 0;
    }

    private int WalletList()
    {
        var wallets = _store.List().Select(w => new JsonObject
        {
            ["wallet"] = w,
            ["coldkey"] = _store.ColdkeyAddress(w),
            ["hotkeys"] = new JsonArray(_store.Hotkeys(w).Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["address"] = h.Address }).ToArray()),
        }).ToList();
        if (_json)
        {
            _stdout.WriteLine(new JsonArray([.. wallets]).ToJsonString());
            return 0;
        }
        if (wallets.Count == 0)
        {
            _stdout.WriteLine($"no wallets in {_store.Root} (create one with 'wallet create')");
            return 0;
        }
        var table = Columns("wallet", "key", "name", "address");
        foreach (var w in wallets)
        {
            table.AddRow(Cell(w["wallet"]), Cell("coldkey"), Cell(""), Cell(w["coldkey"]));
            foreach (var h in w["hotkeys"]!.AsArray()) table.AddRow(Cell(""), Cell("hotkey"), Cell(h!["name"]), Cell(h["address"]));
        }
        host.Tables.Write(table);
        return 0;
    }

    private async Task<int> StakeList()
    {
        string coldkey = AddressOrColdkey();
        var account = await _client.GetAsync($"/api/accounts/{coldkey}");
        var rows = new List<(string Hotkey, ushort Netuid, ulong Alpha)>();
        var hotkeys = new HashSet<string>(account.GetProperty("hotkeys").EnumerateArray().Select(h => h.GetString()!));
        if (_args.Get("wallet") is { } wallet) foreach (var (_, address) in _store.Hotkeys(wallet)) hotkeys.Add(address);
        foreach (var hotkey in hotkeys)
        {
            var view = await _client.GetAsync($"/api/hotkeys/{hotkey}");
            foreach (var s in view.GetProperty("stakes").EnumerateArray())
                if (s.GetProperty("coldkey").GetString() == coldkey)
                    rows.Add((hotkey, s.GetProperty("netuid").GetUInt16(), s.GetProperty("alpha").GetUInt64()));
        }
        if (_json)
        {
            _stdout.WriteLine(JsonSerializer.Serialize(rows.Select(r => new { hotkey = r.Hotkey, netuid = r.Netuid, alpha = r.Alpha })));
            return 0;
        }
        var table = Columns("netuid:r", "hotkey", "alpha:r");
        foreach (var r in rows.OrderBy(r => r.Netuid)) table.AddRow(Cell(r.Netuid), Cell(r.Hotkey), Cell(TaoAmount.Format(r.Alpha)));
        host.Tables.Write(table);
        return 0;
    }

    /// <summary>set_subnet_identity's arguments: the netuid and every field given (option names are the call's, dashed).</summary>
    private JsonObject IdentityArgs()
    {
        var args = new JsonObject { ["netuid"] = Netuid() };
        foreach (var (field, _) in SubnetIdentity.Limits)
            if (_args.Get(field.Replace('_', '-')) is { } value) args[field] = value;
        return args;
    }

    /// <summary>
    /// set_children's children from <c>--children</c> (comma-separated SS58 hotkeys) and <c>--proportions</c> (the same
    /// number of fractions, each in 0..1, summing to at most 1), each proportion as parts of u64::MAX.
    /// </summary>
    private JsonArray ChildrenArg()
    {
        string[] children = _args.Require("children").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string[] parts = _args.Require("proportions").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (children.Length != parts.Length) throw new UsageException($"--children names {children.Length} hotkeys but --proportions gives {parts.Length} proportions");
        var array = new JsonArray();
        decimal sum = 0;
        for (int k = 0; k < children.Length; k++)
        {
            if (!decimal.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out decimal p) || p < 0 || p > 1)
                throw new UsageException($"--proportions: '{parts[k]}' is not a fraction in 0..1");
            sum += p;
            array.Add(new JsonArray((ulong)Math.Round(p * ulong.MaxValue, MidpointRounding.ToZero), Ss58Required(children[k], "children")));
        }
        if (sum > 1) throw new UsageException($"--proportions sum to {sum}; at most 1");
        return array;
    }

    private void Childkeys(JsonElement c)
    {
        static string Percent(ulong proportion) => $"{(proportion / (double)ulong.MaxValue * 100).ToString("0.####", CultureInfo.InvariantCulture)}%";
        host.Tables.Write(new Spectre.Console.Text($"hotkey {c.GetProperty("hotkey").GetString()} on subnet {c.GetProperty("netuid")}: childkey take "
            + $"{(c.GetProperty("childkeyTake").GetUInt16() / 655.35).ToString("0.##", CultureInfo.InvariantCulture)}%"));
        var table = Columns("relation", "hotkey", "proportion:r", "u64:r");
        foreach (var (relation, name) in new[] { ("child", "children"), ("parent", "parents") })
            foreach (var link in c.GetProperty(name).EnumerateArray())
            {
                ulong p = link.GetProperty("proportion").GetUInt64();
                table.AddRow(Cell(relation), Cell(link.GetProperty("hotkey").GetString()!), Cell(Percent(p)), Cell(p));
            }
        if (c.GetProperty("pending") is { ValueKind: JsonValueKind.Object } pending)
            foreach (var link in pending.GetProperty("children").EnumerateArray())
            {
                ulong p = link.GetProperty("proportion").GetUInt64();
                table.AddRow(Cell($"pending child (from block {pending.GetProperty("cooldownBlock").GetUInt64() + 1})"), Cell(link.GetProperty("hotkey").GetString()!), Cell(Percent(p)), Cell(p));
            }
        host.Tables.Write(table);
    }

    private async Task<int> GetTake()
    {
        string hotkey = StakeHotkey();
        ushort take = (await _client.GetAsync($"/api/hotkeys/{hotkey}")).GetProperty("take").GetUInt16();
        if (_json)
        {
            _stdout.WriteLine(new JsonObject { ["hotkey"] = hotkey, ["take"] = take, ["fraction"] = take / 65535.0 }.ToJsonString());
            return 0;
        }
        var table = Columns("hotkey", "take:r", "u16:r");
        table.AddRow(Cell(hotkey), Cell($"{(take / 655.35).ToString("0.##", CultureInfo.InvariantCulture)}%"), Cell(take));
        host.Tables.Write(table);
        return 0;
    }

    /// <summary>
    /// Signs and submits a call. On a terminal, a call that moves funds first shows its quote (and the preflight's fee and
    /// objections) and asks (unless <c>--yes</c>), and a spinner runs while the transaction waits for its block.
    /// </summary>
    private async Task<int> Submit(KeyPair signer, string call, JsonObject args)
    {
        using (signer)
        {
            var response = await SendAsync(signer, call, args);
            if (_json) _stdout.WriteLine(response.GetRawText());
            else PrintInclusion(response);
            return 0;
        }
    }

    /// <summary>Signs and submits one call (asking first where the verb spends); returns the network's {block, result}.</summary>
    private async Task<JsonElement> SendAsync(KeyPair signer, string call, JsonObject args)
    {
        var tx = await _client.SignAsync(signer, call, args);
        if (Terminal is { } terminal && CliCommands.Spending.Contains(_args.Verb) && !_args.Flag("yes")
            && !await ConfirmAsync(terminal, signer.Address, call, args, tx))
            throw new CliFailure($"{_args.Verb}: cancelled; nothing was submitted");
        if (Terminal is { } spinner)
        {
            var response = await spinner.Status().Spinner(Spinner.Known.Dots)
                .StartAsync($"{call}: waiting for a block to include it…", _ => _client.SubmitAsync(tx));
            await host.Error.WriteAsync('\r'); // the cleared spinner line leaves the cursor at its end
            return response;
        }
        if (!_json) await _stdout.WriteAsync($"submitting {call} as {signer.Address}… ");
        return await _client.SubmitAsync(tx);
    }

    /// <summary>One line for people: the block that included the call and what it produced.</summary>
    private void PrintInclusion(JsonElement response)
    {
        var result = response.GetProperty("result");
        var parts = new List<string> { $"included in block {response.GetProperty("block")}" };
        if (result.TryGetProperty("netuid", out var n) && n.ValueKind == JsonValueKind.Number) parts.Add($"netuid {n}");
        if (result.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.Number) parts.Add($"uid {u}");
        if (result.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Number) parts.Add($"amount {TaoAmount.Format(a.GetUInt64())}");
        if (response.TryGetProperty("fee", out var f) && f.ValueKind == JsonValueKind.Number && f.GetUInt64() > 0) parts.Add($"fee {TaoAmount.Format(f.GetUInt64())} TAO");
        _stdout.WriteLine(string.Join(", ", parts));
    }

    /// <summary>Shows what the call will cost and do, with the preflight's verdict, and asks.</summary>
    private async Task<bool> ConfirmAsync(IAnsiConsole terminal, string signer, string call, JsonObject args, SignedTransaction tx)
    {
        var quote = Columns("", "");
        quote.HideHeaders();
        quote.Title = new TableTitle($"{call} from {signer}");
        foreach (var (what, value) in await QuoteAsync(signer, call, args)) quote.AddRow(Cell(what), Cell(value));
        try
        {
            var preflight = await _client.PreflightAsync(tx);
            if (preflight.TryGetProperty("fee", out var fee) && fee.TryGetUInt64(out ulong feeRao)) quote.AddRow(Cell("fee"), Cell($"{TaoAmount.Format(feeRao)} TAO"));
            foreach (var f in preflight.GetProperty("failures").EnumerateArray())
                quote.AddRow(new Markup("[red]would fail[/]"), Cell($"{f.GetProperty("code").GetString()}: {f.GetProperty("message").GetString()}"));
        }
        catch (NetworkException e)
        {
            quote.AddRow(Cell("preflight"), Cell(e.Message));
        }
        terminal.Write(quote);
        return await new ConfirmationPrompt("Submit?") { DefaultValue = false }.ShowAsync(terminal, CancellationToken.None);
    }

    /// <summary>The quote: amounts, and the prices and costs they are taken at now.</summary>
    private async Task<List<(string, string)>> QuoteAsync(string signer, string call, JsonObject args)
    {
        string InTao(JsonNode? rao) => $"{TaoAmount.Format(rao!.GetValue<ulong>())} TAO";
        var balance = (await _client.GetAsync($"/api/accounts/{signer}")).GetProperty("balance").GetUInt64();
        var quote = new List<(string, string)>();
        switch (call)
        {
            case "transfer":
                quote.Add(("send", InTao(args["amount"])));
                quote.Add(("to", (string)args["dest"]!));
                break;
            case "register_network":
                quote.Add(("lock (network lock cost)", $"{TaoAmount.Format((await _client.GetAsync("/api/chain")).GetProperty("networkLockCost").GetUInt64())} TAO"));
                quote.Add(("owner hotkey", (string)args["hotkey"]!));
                break;
            case "burned_register":
                quote.Add(("burn (registration cost)", $"{TaoAmount.Format((await _client.GetAsync($"/api/subnets/{args["netuid"]}")).GetProperty("burn").GetUInt64())} TAO"));
                quote.Add(("hotkey", (string)args["hotkey"]!));
                break;
            case "add_stake" or "remove_stake" or "add_stake_limit" or "remove_stake_limit":
                bool add = call.StartsWith("add", StringComparison.Ordinal);
                quote.Add((add ? "stake" : "unstake", $"{TaoAmount.Format(args["amount"]!.GetValue<ulong>())} {(add ? "TAO" : "alpha")}"));
                quote.AddRange((await PoolQuoteAsync((ushort)args["netuid"]!.GetValue<int>(), add, args["amount"]!.GetValue<ulong>(), "")).List);
                quote.Add(("hotkey", (string)args["hotkey"]!));
                if (args["limit_price"] is { } limit) quote.Add(("limit price", $"{TaoAmount.Format(limit.GetValue<ulong>())} TAO per alpha{(args["allow_partial"] is not null ? ", partial fill allowed" : "")}"));
                break;
            case "move_stake" or "transfer_stake" or "swap_stake" or "swap_stake_limit":
                ushort from = (ushort)args["origin_netuid"]!.GetValue<int>(), to = (ushort)args["destination_netuid"]!.GetValue<int>();
                ulong alpha = args["alpha_amount"]!.GetValue<ulong>();
                quote.Add(("move", $"{TaoAmount.Format(alpha)} alpha (at most what is staked) from subnet {from} to subnet {to}"));
                if (from == to) quote.Add(("swap", "none: within a subnet stake moves without the pool, no fee"));
                else
                {
                    var sell = await PoolQuoteAsync(from, buy: false, alpha, $"subnet {from}: ");
                    quote.AddRange(sell.List);
                    quote.AddRange((await PoolQuoteAsync(to, buy: true, sell.Out, $"subnet {to}: ")).List
                        .Where(q => !q.Item1.EndsWith("fee", StringComparison.Ordinal))
                        .Select(q => q.Item1.EndsWith("expected", StringComparison.Ordinal) ? (q.Item1, $"at least {q.Item2} (no fee on this leg)") : q));
                }
                foreach (var key in new[] { "origin_hotkey", "destination_hotkey", "hotkey", "destination_coldkey" })
                    if (args[key] is { } value) quote.Add((key.Replace('_', ' '), (string)value!));
                if (args["limit_price"] is { } ratio) quote.Add(("limit price", $"{TaoAmount.Format(ratio.GetValue<ulong>())} (origin price / destination price){(args["allow_partial"] is not null ? ", partial fill allowed" : "")}"));
                break;
            case "unstake_all" or "unstake_all_alpha":
                var hotkey = await _client.GetAsync($"/api/hotkeys/{args["hotkey"]}");
                ulong total = 0;
                foreach (var s in hotkey.GetProperty("stakes").EnumerateArray().Where(s => s.GetProperty("coldkey").GetString() == signer))
                {
                    var sale = await PoolQuoteAsync(s.GetProperty("netuid").GetUInt16(), buy: false, s.GetProperty("alpha").GetUInt64(), $"subnet {s.GetProperty("netuid")}: ");
                    quote.AddRange(sale.List);
                    total += sale.Out;
                }
                quote.Add(("expected in all", $"{TaoAmount.Format(total)} TAO"));
                quote.Add(("hotkey", (string)args["hotkey"]!));
                break;
        }
        if (args["netuid"] is { } netuid) quote.Add(("subnet", netuid.ToJsonString()));
        quote.Add(("balance now", $"{TaoAmount.Format(balance)} TAO"));
        return quote;
    }

    /// <summary>
    /// The network's quote (<c>/api/subnets/{netuid}/quote</c>) as lines: the price now, what comes out, the fee and the price
    /// impact; with what comes out, in rao, for a following leg.
    /// </summary>
    private async Task<(List<(string, string)> List, ulong Out)> PoolQuoteAsync(ushort netuid, bool buy, ulong amount, string prefix)
    {
        var q = await _client.GetAsync($"/api/subnets/{netuid}/quote?side={(buy ? "buy" : "sell")}&amount={amount}");
        ulong output = q.GetProperty("amountOut").GetUInt64();
        var (into, outOf) = buy ? ("TAO", "alpha") : ("alpha", "TAO");
        return ([
            ($"{prefix}price now", $"{TaoAmount.Format(q.GetProperty("priceBefore").GetUInt64())} TAO per alpha"),
            ($"{prefix}expected", $"{TaoAmount.Format(output)} {outOf}"),
            ($"{prefix}fee", $"{TaoAmount.Format(q.GetProperty("fee").GetUInt64())} {into}"),
            ($"{prefix}price impact", $"{(q.GetProperty("priceImpact").GetDouble() * 100).ToString("0.###", CultureInfo.InvariantCulture)}% (price after: {TaoAmount.Format(q.GetProperty("priceAfter").GetUInt64())})"),
        ], output);
    }

    private async Task<int> Show(JsonElement value, Action<JsonElement> table)
    {
        if (_json) await _stdout.WriteLineAsync(value.GetRawText());
        else table(value);
        return 0;
    }

    private void Balance(JsonElement a)
    {
        var table = Columns("address", "balance (TAO):r", "next nonce:r");
        table.AddRow(Cell(a.GetProperty("address").GetString()), Cell(TaoAmount.Format(a.GetProperty("balance").GetUInt64())), Cell(a.GetProperty("nextNonce")));
        host.Tables.Write(table);
    }

    private void ChainInfo(JsonElement c)
    {
        var table = Columns("chain", "");
        foreach (var p in c.EnumerateObject())
        {
            string value = p.Name is "totalIssuance" or "blockEmission" or "nextHalvingIssuance" or "networkLockCost" or "genesisReserve"
                ? $"{TaoAmount.Format(p.Value.GetUInt64())} TAO" : p.Value.ToString();
            table.AddRow(Cell(p.Name), Cell(value));
        }
        host.Tables.Write(table);
    }

    private void SubnetTable(JsonElement list)
    {
        var table = Columns("netuid:r", "n:r", "price:r", "pool TAO:r", "tempo:r", "task", "owner");
        foreach (var s in list.EnumerateArray())
            table.AddRow(Cell(s.GetProperty("netuid")), Cell(s.GetProperty("n")),
                Cell(s.GetProperty("pool").GetProperty("price").GetDouble().ToString("0.000000", CultureInfo.InvariantCulture)),
                Cell(TaoAmount.Format(s.GetProperty("pool").GetProperty("tao").GetUInt64())), Cell(s.GetProperty("hyperparameters").GetProperty("tempo")),
                Cell(s.GetProperty("hyperparameters").GetProperty("task").GetString()), Cell(s.GetProperty("ownerColdkey").GetString()));
        host.Tables.Write(table);
    }

    private void SubnetDetails(JsonElement s) => Properties($"subnet {s.GetProperty("netuid")}", s.EnumerateObject().Where(p => p.Name != "hyperparameters"));

    private void Hyperparameters(JsonElement h) => Properties("hyperparameter", h.EnumerateObject());

    private void Properties(string title, IEnumerable<JsonProperty> properties)
    {
        var table = Columns(title, "");
        foreach (var p in properties) table.AddRow(Cell(p.Name), Cell(p.Value));
        host.Tables.Write(table);
    }

    /// <summary>
    /// The body of <c>subnets whatif</c>: <c>--set name=value[,name=value...]</c> as hyperparameter overrides,
    /// <c>--weights "uid=dest:value[,dest:value...][;uid=...]"</c> as the weight rows that replace those UIDs' rows, and <c>--epochs</c>.
    /// The values are passed as given: the network checks them and names what is wrong.
    /// </summary>
    private JsonObject WhatIfBody()
    {
        var weights = new JsonObject();
        foreach (string row in (_args.Get("weights") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = row.IndexOf('=');
            string uid = eq > 0 ? row[..eq].Trim() : "";
            if (!ushort.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new UsageException($"{_args.Verb}: '--weights' takes uid=dest:value[,dest:value...][;uid=...], got '{row}'");
            if (weights.ContainsKey(uid)) throw new UsageException($"{_args.Verb}: '--weights' gives uid {uid} twice");
            var cells = new JsonArray();
            foreach (string cell in row[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = cell.Split(':', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort dest)
                    || !ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort value))
                    throw new UsageException($"{_args.Verb}: '--weights' cells are dest:value with a UID and a weight in 0..65535, got '{cell}' (uid {uid})");
                cells.Add(new JsonArray(dest, value));
            }
            weights[uid] = cells;
        }
        var body = WhatIfOverrides();
        if (weights.Count > 0) body["weights"] = weights;
        return body;
    }

    private JsonObject WhatIfOverrides()
    {
        var hyper = new JsonObject();
        foreach (string pair in (_args.Get("set") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new UsageException($"{_args.Verb}: '--set' takes name=value[,name=value...], got '{pair}'");
            string name = pair[..eq].Trim();
            if (hyper.ContainsKey(name)) throw new UsageException($"{_args.Verb}: '--set' names {name} twice");
            hyper[name] = pair[(eq + 1)..].Trim();
        }
        return new JsonObject { ["hyperparameters"] = hyper, ["epochs"] = _args.Int("epochs", 1, 1, 32) };
    }

    /// <summary><c>subnets snapshot</c>: the scenario to stdout, or to <c>--output</c> with a line saying how to run it.</summary>
    private async Task<int> Snapshot()
    {
        string path = $"/api/subnets/{Netuid()}/snapshot" + (_args.Get("blocks") is { } blocks ? $"?blocks={Uri.EscapeDataString(blocks)}" : "");
        var scenario = await _client.GetAsync(path);
        string text = JsonSerializer.Serialize(scenario, IndentedJson);
        if (_args.Get("output") is not { } file)
        {
            await _stdout.WriteLineAsync(text);
            return 0;
        }
        try
        {
            await File.WriteAllTextAsync(file, text + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{_args.Verb}: cannot write '--output' {file}: {e.Message}");
        }
        string name = scenario.GetProperty("name").GetString() ?? "";
        if (_json) await _stdout.WriteLineAsync(new JsonObject { ["output"] = Path.GetFullPath(file), ["name"] = name }.ToJsonString());
        else await _stdout.WriteLineAsync($"{name}: written to {file}; continue it offline with: bittensor sim run --scenario {file}");
        return 0;
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private void WhatIfTable(JsonElement r)
    {
        var table = Columns("uid:r", "incentive:r", "→:r", "dividends:r", "→:r", "emission:r", "→:r", "stake:r", "→:r", "Δ stake:r", "hotkey");
        table.Title = new TableTitle($"subnet {r.GetProperty("netuid")} from block {r.GetProperty("block")}: {r.GetProperty("epochs")} epochs as they come (before) and with the edits (→)");
        foreach (var u in r.GetProperty("uids").EnumerateArray())
        {
            JsonElement b = u.GetProperty("before"), a = u.GetProperty("after");
            long delta = (long)a.GetProperty("stake").GetUInt64() - (long)b.GetProperty("stake").GetUInt64();
            table.AddRow(Cell(u.GetProperty("uid")), Cell(b.GetProperty("incentive")), Cell(a.GetProperty("incentive")),
                Cell(b.GetProperty("dividends")), Cell(a.GetProperty("dividends")),
                Cell(TaoAmount.Format(b.GetProperty("emission").GetUInt64())), Cell(TaoAmount.Format(a.GetProperty("emission").GetUInt64())),
                Cell(TaoAmount.Format(b.GetProperty("stake").GetUInt64())), Cell(TaoAmount.Format(a.GetProperty("stake").GetUInt64())),
                Cell((delta < 0 ? "-" : "+") + TaoAmount.Format((ulong)Math.Abs(delta))), Cell(u.GetProperty("hotkey").GetString()));
        }
        host.Tables.Write(table);
    }

    private void Metagraph(JsonElement m)
    {
        var table = Columns("uid:r", "stake:r", "incentive:r", "dividends:r", "consensus:r", "vtrust:r", "vp", "active", "emission:r", "hotkey", "axon");
        table.Title = new TableTitle($"subnet {m.GetProperty("netuid")} at block {m.GetProperty("block")}");
        foreach (var n in m.GetProperty("neurons").EnumerateArray())
        {
            string axon = n.GetProperty("axon") is { ValueKind: JsonValueKind.Object } a ? $"{a.GetProperty("ip").GetString()}:{a.GetProperty("port")} {a.GetProperty("name").GetString()}" : "";
            table.AddRow(Cell(n.GetProperty("uid")), Cell(TaoAmount.Format(n.GetProperty("stake").GetUInt64())), Cell(n.GetProperty("incentive")),
                Cell(n.GetProperty("dividends")), Cell(n.GetProperty("consensus")), Cell(n.GetProperty("validator_trust")),
                Cell(n.GetProperty("validator_permit").GetBoolean() ? "*" : ""), Cell(n.GetProperty("active").GetBoolean() ? "*" : ""),
                Cell(TaoAmount.Format(n.GetProperty("emission").GetUInt64())), Cell(n.GetProperty("hotkey").GetString()), Cell(axon));
        }
        host.Tables.Write(table);
    }

    /// <summary>A table with these column headers; a header ending in ":r" is right-aligned (numbers).</summary>
    private static Table Columns(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string h in headers)
            table.AddColumn(h.EndsWith(":r", StringComparison.Ordinal) ? new TableColumn(Markup.Escape(h[..^2])).RightAligned() : new TableColumn(Markup.Escape(h)));
        return table;
    }

    /// <summary>A cell shown as it is (never read as markup).</summary>
    private static IRenderable Cell(object? value) => new Text(value switch
    {
        null => "",
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString(),
        JsonNode node => node is JsonValue v && v.TryGetValue(out string? text) ? text : node.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    });

    private JsonObject StakeArgs() => WithLimit(new JsonObject { ["hotkey"] = StakeHotkey(), ["netuid"] = Netuid(), ["amount"] = TaoOption("amount") });

    /// <summary>The arguments of a stake move: origin and destination subnets (the destination defaults to the origin, but for a swap) and the alpha.</summary>
    private JsonObject MoveArgs(JsonObject args, bool swap = false)
    {
        int origin = _args.Int("origin-netuid", -1, 0, 65535) is var o && o >= 0 ? o : throw new UsageException($"{_args.Verb}: missing required option '--origin-netuid'");
        args["origin_netuid"] = origin;
        args["destination_netuid"] = swap ? _args.Int("dest-netuid", -1, 0, 65535) is var d && d >= 0 ? d : throw new UsageException($"{_args.Verb}: missing required option '--dest-netuid'")
            : _args.Int("dest-netuid", origin, 0, 65535);
        args["alpha_amount"] = TaoOption("amount");
        return WithLimit(args);
    }

    /// <summary>Adds <c>limit_price</c> (and <c>allow_partial</c>) when given; <c>--allow-partial</c> needs a limit.</summary>
    private JsonObject WithLimit(JsonObject args)
    {
        if (_args.Get("limit-price") is { } limit) args["limit_price"] = TaoAmount.Parse(limit, "limit-price");
        if (_args.Flag("allow-partial"))
        {
            if (args["limit_price"] is null) throw new UsageException($"{_args.Verb}: '--allow-partial' needs '--limit-price'");
            args["allow_partial"] = true;
        }
        return args;
    }

    /// <summary>The call for a stake verb: its <c>_limit</c> variant when it has a limit price that may fill in part, or that only the variant takes.</summary>
    private string Limited(string call) =>
        _args.Flag("allow-partial") || (call == "swap_stake" && _args.Get("limit-price") is not null) ? $"{call}_limit" : call;

    /// <summary>The hotkey a stake verb acts on: <c>--hotkey-address</c>, else the wallet's hotkey.</summary>
    private string StakeHotkey() => _args.Get("hotkey-address") is { } address ? Ss58Required(address, "hotkey-address") : HotkeyAddress();

    private JsonObject WeightArgs()
    {
        ushort[] uids = U16List("uids");
        ushort[] weights = U16List("weights");
        var args = new JsonObject
        {
            ["netuid"] = Netuid(),
            ["uids"] = new JsonArray(uids.Select(u => (JsonNode)u).ToArray()),
            ["weights"] = new JsonArray(weights.Select(w => (JsonNode)w).ToArray()),
        };
        if (_args.Get("version-key") is { } key) args["version_key"] = ulong.Parse(key, CultureInfo.InvariantCulture);
        return args;
    }

    private ushort[] U16List(string option)
    {
        try
        {
            return _args.Require(option).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => ushort.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"'--{option}' must be a comma-separated list of integers in 0..65535");
        }
    }

    private int Netuid() => _args.Int("netuid", -1, 0, 65535) is var n && n >= 0 ? n : throw new UsageException("missing required option '--netuid'");

    private ulong TaoOption(string option) => TaoAmount.Parse(_args.Require(option), option);

    private string Ss58Option(string option) => Ss58Required(_args.Require(option), option);

    private static string Ss58Required(string value, string option) =>
        Ss58.IsValid(value) ? value : throw new UsageException($"'--{option}' must be an SS58 address, got '{value}'");

    private string AddressOrColdkey() => _args.Get("address") is { } a ? Ss58Required(a, "address") : _store.ColdkeyAddress(WalletName());

    private string WalletName() => _args.Get("wallet") ?? "default";

    private KeyPair Coldkey() => _store.Coldkey(WalletName(), Password(confirm: false));

    private KeyPair Hotkey() => _store.Hotkey(WalletName(), _args.Get("hotkey") ?? "default");

    private string HotkeyAddress() => _store.Hotkeys(WalletName()).FirstOrDefault(h => h.Name == (_args.Get("hotkey") ?? "default")).Address
        ?? throw new CliFailure($"wallet '{WalletName()}' has no hotkey '{_args.Get("hotkey") ?? "default"}' (create it with 'wallet create --hotkey NAME')");

    /// <summary>$BITTENSOR_PASSWORD, else a masked prompt on the terminal; never a command-line argument.</summary>
    private string Password(bool confirm)
    {
        if (host.Environment("BITTENSOR_PASSWORD") is { Length: > 0 } env) return env;
        if (host.Terminal is not { } terminal)
            throw new UsageException("a coldkey password is needed: set BITTENSOR_PASSWORD, or run in a terminal to be asked");
        string first = terminal.Prompt(new TextPrompt<string>("coldkey password:").Secret());
        if (confirm && terminal.Prompt(new TextPrompt<string>("repeat password:").Secret()) != first) throw new UsageException("the passwords differ");
        return first;
    }
}

/// <summary>An operation failed (the network said no, or a key could not be opened): exit code 1 and one line.</summary>
public sealed class CliFailure(string message) : Exception(message);
