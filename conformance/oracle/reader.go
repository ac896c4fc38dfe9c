package main

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.githedgehog.com/fabric/api/meta"
	wiringapi "go.githedgehog.com/fabric/api/wiring/v1beta1"
	"go.githedgehog.com/fabric/pkg/ctrl/switchprofile"
	kapierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	kmetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kclient "sigs.k8s.io/controller-runtime/pkg/client"
)

// snapshot is a read-only view of the fake client's objects after loading: Get and List
// answer from typed copies in memory instead of the fake client's JSON round trips, which
// made upstream's cross-object checks (every connection lists every other one) the
// oracle's main cost. Semantics as the fake client: NotFound errors, namespace and label
// selection, lists sorted by namespace and name, callers get copies.
type snapshot struct {
	// by item type, then namespace/name
	objects map[reflect.Type]map[string]kclient.Object
}

var _ kclient.Reader = (*snapshot)(nil)

// takeSnapshot lists every kind of kindOrder from kube.
func takeSnapshot(ctx context.Context, kube kclient.Reader) (*snapshot, error) {
	s := &snapshot{objects: map[reflect.Type]map[string]kclient.Object{}}
	for _, list := range kindOrder() {
		if err := kube.List(ctx, list); err != nil {
			return nil, fmt.Errorf("listing %T: %w", list, err)
		}
		items, err := apimeta.ExtractList(list)
		if err != nil {
			return nil, err
		}
		for _, item := range items {
			obj, ok := item.(kclient.Object)
			if !ok {
				return nil, fmt.Errorf("%T is not a client.Object", item)
			}
			byName := s.objects[reflect.TypeOf(obj)]
			if byName == nil {
				byName = map[string]kclient.Object{}
				s.objects[reflect.TypeOf(obj)] = byName
			}
			byName[obj.GetNamespace()+"/"+obj.GetName()] = obj
		}
	}
	return s, nil
}

func (s *snapshot) Get(_ context.Context, key kclient.ObjectKey, obj kclient.Object, _ ...kclient.GetOption) error {
	stored, ok := s.objects[reflect.TypeOf(obj)][key.Namespace+"/"+key.Name]
	if !ok {
		return kapierrors.NewNotFound(resourceOf(obj), key.Name)
	}
	reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(stored.DeepCopyObject()).Elem())
	return nil
}

func (s *snapshot) List(_ context.Context, list kclient.ObjectList, opts ...kclient.ListOption) error {
	listOpts := (&kclient.ListOptions{}).ApplyOptions(opts)
	itemType, err := itemTypeOf(list)
	if err != nil {
		return err
	}
	var names []string
	for name, obj := range s.objects[itemType] {
		if listOpts.Namespace != "" && obj.GetNamespace() != listOpts.Namespace {
			continue
		}
		if listOpts.LabelSelector != nil && !listOpts.LabelSelector.Matches(labels.Set(obj.GetLabels())) {
			continue
		}
		if listOpts.FieldSelector != nil && !listOpts.FieldSelector.Empty() {
			return fmt.Errorf("field selectors are not supported by the oracle's snapshot")
		}
		names = append(names, name)
	}
	sort.Strings(names)
	items := make([]runtime.Object, 0, len(names))
	for _, name := range names {
		items = append(items, s.objects[itemType][name].DeepCopyObject())
	}
	return apimeta.SetList(list, items)
}

// itemTypeOf is the pointer type of a typed list's items (`Items []T` gives *T).
func itemTypeOf(list kclient.ObjectList) (reflect.Type, error) {
	field := reflect.ValueOf(list).Elem().FieldByName("Items")
	if !field.IsValid() || field.Kind() != reflect.Slice {
		return nil, fmt.Errorf("%T has no Items", list)
	}
	return reflect.PointerTo(field.Type().Elem()), nil
}

// resourceOf names an object's resource for NotFound errors as the API server would.
func resourceOf(obj kclient.Object) schema.GroupResource {
	gvks, _, err := scheme.ObjectKinds(obj)
	if err != nil || len(gvks) == 0 {
		return schema.GroupResource{}
	}
	return schema.GroupResource{Group: gvks[0].Group, Resource: strings.ToLower(gvks[0].Kind) + "s"}
}

// enforceProfiles gives the snapshot the switch profiles that upstream's
// switchprofile.Default.Enforce would leave in the cluster: a profile that is not built in is
// deleted unless cfg.AllowExtraSwitchProfiles, and every built-in profile is created or has
// its spec overwritten (metadata of one the input brought is kept). Done on the snapshot,
// it spares the fake client's sixteen create-or-updates of large objects per fabric.
func (s *snapshot) enforceProfiles(profiles *switchprofile.Default, cfg *meta.FabricConfig) {
	byName := s.objects[reflect.TypeOf(&wiringapi.SwitchProfile{})]
	if byName == nil {
		byName = map[string]kclient.Object{}
		s.objects[reflect.TypeOf(&wiringapi.SwitchProfile{})] = byName
	}
	if !cfg.AllowExtraSwitchProfiles {
		for key, obj := range byName {
			if profiles.Get(obj.GetName()) == nil {
				delete(byName, key)
			}
		}
	}
	for _, builtin := range profiles.List() {
		key := builtin.Namespace + "/" + builtin.Name
		sp, given := byName[key].(*wiringapi.SwitchProfile)
		if !given {
			sp = &wiringapi.SwitchProfile{ObjectMeta: kmetav1.ObjectMeta{Name: builtin.Name, Namespace: builtin.Namespace}}
		}
		sp.Spec = *builtin.Spec.DeepCopy()
		byName[key] = sp
	}
}
