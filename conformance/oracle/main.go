// Command oracle validates Hedgehog fabric YAML with upstream's own Go code
// (go.githedgehog.com/fabric): it loads the files as hhfab does and runs every object's
// Default() and Validate(), reporting every failing object instead of stopping at the first.
// Its JSON output has the shape of `hedgehogd validate --format json`, so the two can be
// compared object by object (see scripts/upstream-oracle and conformance/differential).
//
//	oracle validate [--format json|text] [--fabric-config FILE] [--store-defaulted] [--each | --stream] PATH...
//
// Exit codes as hedgehogd validate: 0 no error, 1 errors found, 2 usage or I/O problems.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"go.githedgehog.com/fabric/pkg/ctrl/switchprofile"
)

const usage = `usage: oracle validate [--format json|text] [--fabric-config FILE] [--store-defaulted]
                       [--each | --stream] PATH...

  PATH            a file or a directory (read recursively for *.yaml, *.yml, *.json); - for stdin
  --fabric-config upstream FabricConfig (YAML or JSON, upstream field names); fields left out
                  keep hhfab's defaults
  --store-defaulted
                  store every object as upstream's Default() leaves it before validating, as an
                  API server with upstream's mutating webhooks would (hhfab validates against
                  the objects as written)
  --each          every PATH is a separate fabric: one JSON report per line, in PATH order
  --stream        fabrics on standard input, each as a line with its length in bytes followed by
                  that many bytes; one JSON report per line on standard output
`

// options are the parsed command line.
type options struct {
	format       string
	fabricConfig string
	each         bool
	stream       bool
	// store objects defaulted before validating (an API server's view, not hhfab's)
	storeDefaulted bool
	paths          []string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "oracle: %v\n\n%s", err, usage)
		return 2
	}
	cfg, cfgErr := loadFabricConfig(opts.fabricConfig)
	if cfgErr != nil && !cfgErr.invalid {
		fmt.Fprintf(stderr, "oracle: %v\n", cfgErr.err)
		return 2
	}
	ctx := context.Background()
	var profiles *switchprofile.Default
	if cfgErr == nil {
		if profiles, err = registerProfiles(ctx, cfg); err != nil {
			fmt.Fprintf(stderr, "oracle: %v\n", err)
			return 2
		}
	}
	validate := func(sources []source) report {
		if cfgErr != nil {
			return configReport(cfgErr)
		}
		return validateSources(ctx, sources, cfg, profiles, opts.storeDefaulted)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()

	switch {
	case opts.stream:
		return runStream(stdin, out, validate, stderr)
	case opts.each:
		code := 0
		for _, path := range opts.paths {
			sources, err := readPaths([]string{path}, stdin)
			if err != nil {
				fmt.Fprintf(stderr, "oracle: %v\n", err)
				return 2
			}
			rep := validate(sources)
			if err := writeReport(out, rep, "json"); err != nil {
				return 2
			}
			code = max(code, rep.exitCode())
		}
		return code
	default:
		sources, err := readPaths(opts.paths, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "oracle: %v\n", err)
			return 2
		}
		rep := validate(sources)
		if err := writeReport(out, rep, opts.format); err != nil {
			return 2
		}
		return rep.exitCode()
	}
}

func parseArgs(args []string) (options, error) {
	opts := options{format: "text"}
	if len(args) == 0 || args[0] != "validate" {
		return opts, fmt.Errorf("the only command is validate")
	}
	args = args[1:]
	value := func(i *int, name string) (string, error) {
		arg := args[*i]
		if v, ok := strings.CutPrefix(arg, name+"="); ok {
			return v, nil
		}
		*i++
		if *i >= len(args) {
			return "", fmt.Errorf("%s needs a value", name)
		}
		return args[*i], nil
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		var err error
		switch {
		case arg == "--":
			opts.paths = append(opts.paths, args[i+1:]...)
			i = len(args)
		case arg == "--format" || strings.HasPrefix(arg, "--format="):
			opts.format, err = value(&i, "--format")
		case arg == "--fabric-config" || strings.HasPrefix(arg, "--fabric-config="):
			opts.fabricConfig, err = value(&i, "--fabric-config")
		case arg == "--each":
			opts.each = true
		case arg == "--stream":
			opts.stream = true
		case arg == "--store-defaulted":
			opts.storeDefaulted = true
		case strings.HasPrefix(arg, "-") && arg != "-":
			err = fmt.Errorf("unknown option %s", arg)
		default:
			opts.paths = append(opts.paths, arg)
		}
		if err != nil {
			return opts, err
		}
	}
	if opts.format != "json" && opts.format != "text" {
		return opts, fmt.Errorf("--format must be json or text, not %q", opts.format)
	}
	if opts.each && opts.stream {
		return opts, fmt.Errorf("--each and --stream exclude each other")
	}
	if (opts.each || opts.stream) && opts.format != "json" {
		return opts, fmt.Errorf("--each and --stream print JSON: add --format json")
	}
	if opts.stream != (len(opts.paths) == 0) {
		if opts.stream {
			return opts, fmt.Errorf("--stream reads standard input and takes no PATH")
		}
		return opts, fmt.Errorf("at least one PATH is required")
	}
	return opts, nil
}

// runStream answers length-prefixed fabrics from stdin with one JSON report line each,
// flushing after every answer so that a caller can keep one process for many fabrics.
func runStream(stdin io.Reader, out *bufio.Writer, validate func([]source) report, stderr io.Writer) int {
	in := bufio.NewReader(stdin)
	for n := 1; ; n++ {
		header, err := in.ReadString('\n')
		if err == io.EOF && header == "" {
			return 0
		}
		size, convErr := strconv.Atoi(strings.TrimSpace(header))
		if err != nil || convErr != nil || size < 0 {
			fmt.Fprintf(stderr, "oracle: stream: fabric %d: expected a length line, got %q\n", n, header)
			return 2
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(in, body); err != nil {
			fmt.Fprintf(stderr, "oracle: stream: fabric %d: %v\n", n, err)
			return 2
		}
		rep := validate([]source{{file: fmt.Sprintf("fabric-%d.yaml", n), data: body}})
		if err := writeReport(out, rep, "json"); err != nil {
			return 2
		}
		if err := out.Flush(); err != nil {
			return 2
		}
	}
}
