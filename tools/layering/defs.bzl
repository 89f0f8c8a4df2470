"""ref_files: every source, header and object file of the C reference's
libraries (the cc_library targets under ref/ that the given targets reach),
listed in a manifest for //tools/layering's tests."""

_RefFiles = provider(fields = ["sources", "objects"])

def _in_ref(label):
    return label.workspace_name == "" and (label.package == "ref" or label.package.startswith("ref/"))

def _ref_files_aspect_impl(target, ctx):
    sources, objects = [], []
    if ctx.rule.kind == "cc_library" and _in_ref(ctx.label):
        for attr in ("srcs", "hdrs", "textual_hdrs"):
            sources += [f for f in getattr(ctx.rule.files, attr, []) if f.is_source]
        for linker_input in target[CcInfo].linking_context.linker_inputs.to_list():
            if linker_input.owner == target.label:
                for library in linker_input.libraries:
                    objects += library.pic_objects or library.objects
    deps = getattr(ctx.rule.attr, "deps", []) + ([ctx.rule.attr.actual] if hasattr(ctx.rule.attr, "actual") else [])
    below = [dep[_RefFiles] for dep in deps if _RefFiles in dep]
    return [_RefFiles(
        sources = depset(sources, transitive = [b.sources for b in below]),
        objects = depset(objects, transitive = [b.objects for b in below]),
    )]

_ref_files_aspect = aspect(
    implementation = _ref_files_aspect_impl,
    attr_aspects = ["deps", "actual"],
)

def _ref_files_impl(ctx):
    sources = depset(transitive = [t[_RefFiles].sources for t in ctx.attr.targets])
    objects = depset(transitive = [t[_RefFiles].objects for t in ctx.attr.targets])
    manifest = ctx.actions.declare_file(ctx.label.name + ".json")
    ctx.actions.write(manifest, json.encode({
        "sources": sorted([f.short_path for f in sources.to_list()]),
        "objects": sorted([f.short_path for f in objects.to_list()]),
    }))
    files = depset([manifest], transitive = [sources, objects])
    return [DefaultInfo(files = depset([manifest]), runfiles = ctx.runfiles(transitive_files = files))]

ref_files = rule(
    doc = "NAME.json: {sources: [...], objects: [...]}, runfiles paths of every " +
          "cc_library under ref/ that targets reach, with the files in the runfiles.",
    implementation = _ref_files_impl,
    attrs = {"targets": attr.label_list(aspects = [_ref_files_aspect])},
)
