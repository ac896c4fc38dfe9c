"""A loopback fake Kubernetes API server for hedgehog-sync's integration tests.

Built on kmock 0.8 (``KubernetesEmulator``), plus the apiserver bookkeeping kmock lacks.

Emulated here (on top of kmock's discovery, CRUD, merge-patch and live watch streams):
  * metadata.resourceVersion (one global counter), uid, generation, creationTimestamp and
    metadata.namespace from the URL on create;
  * server-side apply on a missing object creates it (kmock answers 404);
  * ``dryRun=All`` on create/patch/delete answers the would-be object without storing it;
  * ``limit``/``continue`` paging of lists (items sorted by namespace/name, opaque offset token);
  * delete preconditions (uid / resourceVersion mismatch answers 409 Conflict);
  * SelfSubjectAccessReview: allowed unless the verb is listed in ``--deny``;
  * GET of the namespaces named with ``--namespace``;
  * standard Status reasons (``NotFound``, ``AlreadyExists``) that kube-rs matches on.

Fault injection (a fault a real API server shows only with broken RBAC or an overloaded
etcd): ``POST /fault/PLURAL/CODE`` makes every request for that resource answer ``CODE``
(403, 500, …) and ends its open watch streams with a watch ERROR event; ``CODE`` 0 clears
the fault. ``--fail PLURAL=CODE`` sets one at start.

Not emulated: SSA field ownership, managedFields and conflicts (apply is a plain recursive
merge), label/field selectors, watch resourceVersion/bookmarks/timeouts, 410 Gone, PUT.

Usage: fake_apiserver.py [--omit PLURAL]... [--deny VERB]... [--namespace NS]... [--fail PLURAL=CODE]...
Prints ``READY <url>`` once it listens on 127.0.0.1 (a free port).
"""
import argparse
import asyncio
import copy
import datetime
import itertools
import uuid

import aiohttp.web
import kmock

KINDS = {
    'wiring.githedgehog.com': [
        ('SwitchProfile', 'switchprofiles'), ('VLANNamespace', 'vlannamespaces'),
        ('SwitchGroup', 'switchgroups'), ('Switch', 'switches'), ('Server', 'servers'),
        ('ServerProfile', 'serverprofiles'), ('Connection', 'connections'),
    ],
    'vpc.githedgehog.com': [
        ('IPv4Namespace', 'ipv4namespaces'), ('External', 'externals'),
        ('ExternalAttachment', 'externalattachments'), ('VPC', 'vpcs'),
        ('VPCAttachment', 'vpcattachments'), ('VPCPeering', 'vpcpeerings'),
        ('ExternalPeering', 'externalpeerings'),
    ],
}
VERBS = {'get', 'list', 'watch', 'create', 'update', 'patch', 'delete'}
RV = itertools.count(1)


def status(code, reason, message):
    return aiohttp.web.json_response({
        'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Failure',
        'code': code, 'reason': reason, 'message': message}, status=code)


def merge(base, patch):
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


REASONS = {403: 'Forbidden', 404: 'NotFound', 429: 'TooManyRequests', 500: 'InternalError',
           503: 'ServiceUnavailable', 504: 'Timeout'}


def fault_status(code):
    return {'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Failure',
            'code': code, 'reason': REASONS.get(code, 'InternalError'),
            'message': f'injected fault: this resource answers {code}'}


class FakeApiServer(kmock.KubernetesEmulator):
    deny: set = set()
    namespaces: set = set()
    faults: dict = {}

    async def set_fault(self, plural, code):
        if code:
            self.faults[plural] = code
        else:
            self.faults.pop(plural, None)
            return
        # kmock delivers a watch event to watches of the event object's namespace only.
        for resource in self._get_resources():
            if resource.plural == plural:
                for namespace in self.namespaces:
                    status_object = dict(fault_status(code), metadata={'namespace': namespace})
                    await self._buses[resource].put({'type': 'ERROR', 'object': status_object})

    async def _serve_watch(self, request):
        # A watch ERROR event ends the stream, as the API server does.
        async for item in super()._serve_watch(request):
            yield item
            if isinstance(item, dict) and item.get('type') == 'ERROR':
                return

    async def _render_error(self, exc):
        # kube-rs recognises a missing object by the standard reason `NotFound` (kmock says
        # "Object Not Found"), an existing one by `AlreadyExists`.
        if isinstance(exc, kmock.KubernetesError):
            reason = {404: 'NotFound', 409: 'AlreadyExists'}.get(exc.status, exc.reason)
            return status(exc.status, reason, exc.message or repr(exc))
        return await super()._render_error(exc)

    def stored(self, request):
        key = (request.resource, request.namespace, request.name)
        if key in self.objects and not self.objects[key].deleted:
            return self.objects[key].raw
        return None

    async def _handle(self, request):
        res = request.resource
        path = request.url.path.rstrip('/').split('/')
        if request.method == kmock.method.POST and len(path) == 4 and path[1] == 'fault':
            await self.set_fault(path[2], int(path[3]))
            return aiohttp.web.json_response({'faults': self.faults})
        if res is not None and res.plural in self.faults:
            code = self.faults[res.plural]
            return aiohttp.web.json_response(fault_status(code), status=code)
        if res is not None and res.plural == 'selfsubjectaccessreviews':
            attrs = (request.data or {}).get('spec', {}).get('resourceAttributes', {})
            allowed = attrs.get('verb') not in self.deny
            body = dict(request.data or {}, status={'allowed': allowed})
            return aiohttp.web.json_response(body, status=201)
        if request.method == kmock.method.GET and len(path) == 5 and path[1:4] == ['api', 'v1', 'namespaces']:
            if path[4] in self.namespaces:
                return aiohttp.web.json_response({
                    'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': path[4]}})
            return status(404, 'NotFound', f'namespaces "{path[4]}" not found')
        if res is not None and res.plural and request.action == kmock.action.LIST:
            return await self.paged_list(request)

        # kube-rs sends dryRun as a query parameter on create/patch and in the DeleteOptions
        # body on delete.
        body_dry_run = isinstance(request.data, dict) and 'All' in (request.data.get('dryRun') or [])
        dry_run = request.params.get('dryRun') == 'All' or body_dry_run
        if res is not None and request.action == kmock.action.DELETE and request.name is not None:
            current = self.stored(request)
            pre = (request.data or {}).get('preconditions') or {} if isinstance(request.data, dict) else {}
            meta = (current or {}).get('metadata', {})
            for field in ('uid', 'resourceVersion'):
                if current is not None and pre.get(field) and pre[field] != meta.get(field):
                    return status(409, 'Conflict', f'Precondition failed: {field} mismatch')
            if dry_run:
                return aiohttp.web.json_response(current) if current else status(404, 'NotFound', 'not found')

        if res is not None and isinstance(request.data, dict):
            md = request.data.setdefault('metadata', {})
            content_type = {k.lower(): v for k, v in request.headers.items()}.get('content-type', '')
            is_apply = content_type.startswith('application/apply-patch')
            if request.action in (kmock.action.CREATE, kmock.action.UPDATE):
                current = self.stored(request) if request.action == kmock.action.UPDATE else None
                if dry_run:
                    if request.action == kmock.action.UPDATE and current is None and not is_apply:
                        return status(404, 'NotFound', 'not found')
                    return aiohttp.web.json_response(merge(current or {}, request.data))
                md['resourceVersion'] = str(next(RV))
            if request.action == kmock.action.CREATE:
                if request.namespace:
                    md.setdefault('namespace', request.namespace)
                self.bookkeep_new(md)
            if request.action == kmock.action.UPDATE and is_apply:
                key = (request.resource, request.namespace, request.name)
                if key not in self.objects or self.objects[key].deleted:
                    md.setdefault('namespace', request.namespace)
                    self.bookkeep_new(md)
                    self.objects[key] = dict(request.data)
                    await self._buses[request.resource].put({'type': 'ADDED', 'object': self.objects[key].raw})
                    return aiohttp.web.json_response(self.objects[key].raw, status=201)
        return await super()._handle(request)

    @staticmethod
    def bookkeep_new(md):
        md.setdefault('uid', str(uuid.uuid4()))
        md.setdefault('generation', 1)
        md.setdefault('creationTimestamp',
                      datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ'))

    async def paged_list(self, request):
        if request.resource not in self._get_resources():
            return status(404, 'NotFound', 'the server could not find the requested resource')
        items = sorted(
            (obj.raw for (res, ns, _), obj in self.objects.items()
             if res == request.resource and not obj.deleted
             and (request.namespace is None or ns == request.namespace)),
            key=lambda o: (o.get('metadata', {}).get('namespace') or '', o['metadata']['name']))
        start = int(request.params.get('continue') or 0)
        limit = int(request.params.get('limit') or 0)
        end = start + limit if limit else len(items)
        meta = {'resourceVersion': str(next(RV))}
        if end < len(items):
            meta['continue'] = str(end)
            meta['remainingItemCount'] = len(items) - end
        return aiohttp.web.json_response({
            'apiVersion': 'v1', 'kind': 'List', 'metadata': meta, 'items': items[start:end]})


async def main(args):
    FakeApiServer.deny = set(args.deny)
    FakeApiServer.namespaces = set(args.namespace or ['default'])
    FakeApiServer.faults = {plural: int(code) for plural, code in (f.split('=') for f in args.fail)}
    async with FakeApiServer() as k8s, kmock.Server(k8s, host='127.0.0.1', port=0) as srv:
        for group, kinds in KINDS.items():
            for kind, plural in kinds:
                if plural in args.omit:
                    continue
                k8s.resources[f'{group}/v1beta1/{plural}'] = kmock.ResourceInfo(
                    kind=kind, singular=kind.lower(), namespaced=True, verbs=VERBS)
        print(f'READY {srv.url}', flush=True)
        await asyncio.Event().wait()


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--omit', action='append', default=[])
    parser.add_argument('--deny', action='append', default=[])
    parser.add_argument('--namespace', action='append')
    parser.add_argument('--fail', action='append', default=[])
    asyncio.run(main(parser.parse_args()))
