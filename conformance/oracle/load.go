package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.githedgehog.com/fabric/api/meta"
	vpcapi "go.githedgehog.com/fabric/api/vpc/v1beta1"
	wiringapi "go.githedgehog.com/fabric/api/wiring/v1beta1"
	kmetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kclient "sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	kyaml "sigs.k8s.io/yaml"
)

// source is the text of one input file.
type source struct {
	file string
	data []byte
}

// readPaths reads files and directories as hedgehogd does: a directory contributes every
// *.yaml, *.yml and *.json below it, in path order; "-" alone is standard input.
func readPaths(paths []string, stdin io.Reader) ([]source, error) {
	if len(paths) == 1 && paths[0] == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		return []source{{file: "", data: data}}, nil
	}
	var files []string
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, path)
			continue
		}
		var found []string
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			ext := strings.ToLower(filepath.Ext(p))
			if !d.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	sources := make([]source, 0, len(files))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		sources = append(sources, source{file: file, data: data})
	}
	return sources, nil
}

// The scheme of hhfab's loader for a wiring: the wiring and VPC API groups. Gateway kinds,
// which hedgehog does not model, are not allowed here.
var (
	scheme  = runtime.NewScheme()
	decoder runtime.Decoder
)

func init() {
	if err := wiringapi.AddToScheme(scheme); err != nil {
		panic(err)
	}
	if err := vpcapi.AddToScheme(scheme); err != nil {
		panic(err)
	}
	// Strict: unknown and duplicate fields are errors, as in hhfab.
	decoder = serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
}

// hhfab's loader accepts only lowercase RFC 1123 subdomains of at most 253 characters.
var nameChecker = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// loaded is the fake API server with every object that could be added, and what went wrong
// on the way.
type loaded struct {
	kube        kclient.Client
	objects     int
	diagnostics []diagnostic
	// where each object came from, by kind/namespace/name
	places map[string]place
	// store objects defaulted
	storeDefaulted bool
}

type place struct {
	file string
	line int
}

func placeKey(kind, namespace, name string) string {
	return kind + "/" + namespace + "/" + name
}

// loadSources decodes every document as hhfab's loader does (multi-document YAML reader,
// strict universal deserializer, namespace "default" when empty, name check) and creates the
// objects in controller-runtime's fake client. Unlike hhfab it does not stop at the first
// problem: each is reported and the remaining documents are still loaded. An object with
// only strict-decoding problems (unknown or duplicate fields) is kept, as decoded.
//
// With storeDefaulted, each object is stored as upstream's Default() leaves it.
func loadSources(ctx context.Context, sources []source, storeDefaulted bool) *loaded {
	l := &loaded{
		kube:           fake.NewClientBuilder().WithScheme(scheme).Build(),
		places:         map[string]place{},
		storeDefaulted: storeDefaulted,
	}
	for _, src := range sources {
		l.loadSource(ctx, src)
	}
	return l
}

func (l *loaded) loadSource(ctx context.Context, src source) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(src.data)))
	// line of the start of the next document (1-based)
	line := 1
	for idx := 1; ; idx++ {
		buf, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		at := place{file: src.file, line: line}
		if err != nil {
			l.report(at, "", nil, "upstream.load.read", fmt.Sprintf("object %d: reading: %v", idx, err))
			return
		}
		line += bytes.Count(buf, []byte("\n"))
		if len(bytes.TrimSpace(stripComments(buf))) == 0 {
			idx--
			continue
		}
		l.objects++
		l.loadDocument(ctx, at, idx, buf)
	}
}

// stripComments drops comment-only lines, which the YAML reader hands over as a document.
func stripComments(buf []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(buf, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) && !bytes.Equal(bytes.TrimSpace(line), []byte("---")) {
			out = append(out, line...)
			out = append(out, '\n')
		}
	}
	return out
}

func (l *loaded) loadDocument(ctx context.Context, at place, idx int, buf []byte) {
	rObj, _, err := decoder.Decode(buf, nil, nil)
	obj, isObject := rObj.(kclient.Object)
	if err != nil {
		if !runtime.IsStrictDecodingError(err) || !isObject {
			l.reportUndecoded(at, buf, fmt.Sprintf("object %d: decoding: %v", idx, err))
			return
		}
	}
	kind := obj.GetObjectKind().GroupVersionKind().Kind
	if obj.GetNamespace() == "" {
		obj.SetNamespace(kmetav1.NamespaceDefault)
	}
	if err != nil {
		l.report(at, kind, obj, "upstream.load.decode", fmt.Sprintf("object %d: decoding: %v", idx, err))
	}
	if len(obj.GetName()) > 253 {
		l.report(at, kind, obj, "upstream.load.name", fmt.Sprintf("object %d: %s/%s: maximum name length is 253 characters", idx, kind, obj.GetName()))
	} else if !nameChecker.MatchString(obj.GetName()) {
		l.report(at, kind, obj, "upstream.load.name", fmt.Sprintf("object %d: %s/%s: name should match a lowercase RFC 1123 subdomain", idx, kind, obj.GetName()))
	}
	obj.SetResourceVersion("")
	if defaultable, ok := obj.(meta.Defaultable); ok && l.storeDefaulted {
		if err := guard(func() error { defaultable.Default(); return nil }); err != nil {
			l.report(at, kind, obj, "upstream.panic", fmt.Sprintf("object %d: defaulting: %v", idx, err))
			return
		}
	}
	if err := l.kube.Create(ctx, obj); err != nil {
		l.report(at, kind, obj, "upstream.load.add", fmt.Sprintf("adding %T: %v", obj, err))
		return
	}
	key := placeKey(kind, obj.GetNamespace(), obj.GetName())
	l.places[key] = at
}

// reportUndecoded reports a document that does not decode, naming the object it seems to
// be (kind, namespace, name read loosely) so that the problem can be compared per object.
func (l *loaded) reportUndecoded(at place, buf []byte, message string) {
	var loose struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	d := diagnostic{Severity: "error", Code: "upstream.load.decode", Message: message, Line: &at.line}
	if at.file != "" {
		d.File = &at.file
	}
	if kyaml.Unmarshal(buf, &loose) == nil && loose.Kind != "" {
		namespace := loose.Metadata.Namespace
		if namespace == "" {
			namespace = kmetav1.NamespaceDefault
		}
		d.setObject(loose.Kind, namespace, loose.Metadata.Name)
	}
	l.diagnostics = append(l.diagnostics, d)
}

// report records a loader problem; kind is read before the fake client clears TypeMeta.
func (l *loaded) report(at place, kind string, obj kclient.Object, code, message string) {
	d := diagnostic{Severity: "error", Code: code, Message: message}
	if at.file != "" {
		d.File = &at.file
	}
	d.Line = &at.line
	if obj != nil {
		d.setObject(kind, obj.GetNamespace(), obj.GetName())
	}
	l.diagnostics = append(l.diagnostics, d)
}
