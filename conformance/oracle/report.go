package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"sort"
)

// diagnostic has the flat JSON shape of hedgehogd's diagnostics; unknown fields are null.
type diagnostic struct {
	Severity  string  `json:"severity"`
	Code      string  `json:"code"`
	Message   string  `json:"message"`
	Kind      *string `json:"kind"`
	Namespace *string `json:"namespace"`
	Name      *string `json:"name"`
	Path      *string `json:"path"`
	File      *string `json:"file"`
	Line      *int    `json:"line"`
	Column    *int    `json:"column"`
}

func (d *diagnostic) setObject(kind, namespace, name string) {
	d.Kind, d.Namespace, d.Name = &kind, &namespace, &name
}

// report is the JSON document of `hedgehogd validate --format json`.
type report struct {
	Objects     int          `json:"objects"`
	Errors      int          `json:"errors"`
	Warnings    int          `json:"warnings"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

func newReport(objects int, diags []diagnostic) report {
	if diags == nil {
		diags = []diagnostic{}
	}
	// Source order, as hedgehogd: file, line, then the object.
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	num := func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	}
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		if str(a.File) != str(b.File) {
			return str(a.File) < str(b.File)
		}
		if num(a.Line) != num(b.Line) {
			return num(a.Line) < num(b.Line)
		}
		return str(a.Kind)+"/"+str(a.Name) < str(b.Kind)+"/"+str(b.Name)
	})
	rep := report{Objects: objects, Diagnostics: diags}
	for _, d := range diags {
		if d.Severity == "error" {
			rep.Errors++
		} else {
			rep.Warnings++
		}
	}
	return rep
}

func (r report) exitCode() int {
	if r.Errors > 0 {
		return 1
	}
	return 0
}

// writeReport prints one JSON line, or compiler-style text lines and a summary.
func writeReport(out *bufio.Writer, r report, format string) error {
	if format == "json" {
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", data)
		return err
	}
	for _, d := range r.Diagnostics {
		if d.File != nil && d.Line != nil {
			fmt.Fprintf(out, "%s:%d: ", *d.File, *d.Line)
		}
		fmt.Fprintf(out, "%s[%s]: ", d.Severity, d.Code)
		if d.Kind != nil && d.Name != nil {
			fmt.Fprintf(out, "%s/%s: ", *d.Kind, *d.Name)
		}
		fmt.Fprintln(out, d.Message)
	}
	_, err := fmt.Fprintf(out, "%d objects: %d errors, %d warnings\n", r.Objects, r.Errors, r.Warnings)
	return err
}
