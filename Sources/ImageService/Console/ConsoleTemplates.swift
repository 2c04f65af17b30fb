import Mustache

/// The console's pages as Mustache templates, compiled into the binary so that a copied
/// `darkroom` needs no template folder. `{{value}}` escapes HTML, so names, keys, errors and
/// EXIF strings render inert; `{{{…}}}` is used only for SVG the server drew from numbers.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in sources {
            // The templates are constants: one that does not parse is a bug caught by the tests.
            templates[name] = try! MustacheTemplate(string: text)
        }
        return MustacheLibrary(templates: templates)
    }()

    /// Renders `page` with the template `name`.
    static func render(_ page: Any, _ name: String) -> String {
        library.render(page, withTemplate: name) ?? "template \(name) is missing"
    }

    static let sources: [String: String] = [
        "layout": """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{$title}}Darkroom{{/title}} · Darkroom</title><link rel="icon" href="data:,">
            <link rel="stylesheet" href="/console/static/console.css"><script src="/console/static/console.js" defer></script>
            </head><body>
            <header><a class="brand" href="/">Darkroom</a>
            {{#frame}}{{#nav}}<nav><a href="/console">Overview</a><a href="/console/queues">Queues</a><a href="/console/jobs">Jobs</a>
            <a href="/console/workers">Workers</a><a href="/console/images">Images</a><a href="/console/playground">Playground</a>
            <a href="/console/pipelines">Pipelines</a><a href="/console/audit">Audit</a></nav>
            <form class="who" method="post" action="/console/logout"><input type="hidden" name="csrf" value="{{csrf}}">
            <span id="actor">{{actor}} ({{scope}})</span> <button>Log out</button></form>{{/nav}}{{/frame}}
            </header>
            <main>{{#frame.flash}}<p class="flash" id="flash">{{frame.flash}}</p>{{/frame.flash}}{{$body}}{{/body}}</main>
            </body></html>
            """,
        "landing": """
            {{<layout}}{{$title}}Welcome{{/title}}{{$body}}
            <h1>Darkroom {{about.version}}</h1>
            <p>An image server and pipeline runner: imgproxy-style URLs, IIIF, durable jobs and visual search, in one binary.</p>
            <table class="facts" id="facts">
            <tr><th>Engine</th><td>{{about.engine}}</td></tr><tr><th>Storage</th><td>{{about.storage}}</td></tr>
            <tr><th>Queue</th><td>{{about.queue}}</td></tr><tr><th>Scheduler</th><td>{{about.scheduler}}</td></tr></table>
            <p><a href="/console">Open the console</a> · <a href="/metrics">Prometheus metrics</a> · <a href="/health">health</a></p>
            <h2>Try it</h2>
            {{^examples}}<p>No demo images under the local root's <code>demo/</code> folder (<code>make run</code> copies some there).</p>{{/examples}}
            <div class="grid" id="examples">{{#examples}}<figure><a href="{{url}}"><img src="{{url}}" alt="{{name}}" loading="lazy"></a>
            <figcaption><code>{{url}}</code><br><a href="{{iiif}}">IIIF info.json</a></figcaption></figure>{{/examples}}</div>
            <h2>Upload</h2>
            <form method="post" action="/v1/images" enctype="multipart/form-data"><input type="file" name="file" accept="image/*">
            <button>Upload</button></form><p class="hint">Answers with JSON: the image's key and the jobs its upload pipelines queued.</p>
            {{/body}}{{/layout}}
            """,
        "login": """
            {{<layout}}{{$title}}Log in{{/title}}{{$body}}
            <h1>Log in</h1><p>Paste an API key (<code>darkroom keys create --name you --scope admin</code> makes one).</p>
            <form method="post" action="/console/login"><input type="password" name="token" autocomplete="off" size="60" placeholder="drk_…">
            <button>Log in</button></form>{{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
            {{/body}}{{/layout}}
            """,
        "overview": """
            {{<layout}}{{$title}}Overview{{/title}}{{$body}}
            <h1>Overview</h1>
            <div class="cards" id="live" data-live="/console/live.json">
            <div class="card"><b data-key="requests_per_second">{{latest.requests}}</b><span>requests/s</span></div>
            <div class="card"><b data-key="jobs_per_second">{{latest.jobs}}</b><span>jobs/s</span></div>
            <div class="card"><b data-key="p50_ms">{{latest.p50}}</b><span>p50 ms</span></div>
            <div class="card"><b data-key="p99_ms">{{latest.p99}}</b><span>p99 ms</span></div>
            <div class="card"><b data-key="cache_hit_ratio">{{latest.cache}}</b><span>cache hits</span></div>
            <div class="card"><b data-key="pool_saturation">{{latest.pool}}</b><span>pool saturation</span></div>
            </div>
            <h2>The last hour</h2><div class="charts">
            {{#charts}}<figure class="chart"><figcaption>{{title}} <small>max {{maximum}}</small></figcaption>{{{svg}}}</figure>{{/charts}}
            </div>
            {{/body}}{{/layout}}
            """,
        "queues": """
            {{<layout}}{{$title}}Queues{{/title}}{{$body}}
            <h1>Queues</h1>
            <table id="queues"><tr><th>Queue</th><th>Depth</th><th>In flight</th><th>Dead</th><th>Oldest (s)</th><th>Unschedulable</th><th>Desired workers</th><th></th></tr>
            {{#queues}}<tr data-queue="{{name}}"><td><a href="/console/jobs?queue={{name}}">{{name}}</a></td><td>{{depth}}</td><td>{{inFlight}}</td>
            <td><a href="/console/jobs?queue={{name}}&amp;status=dead">{{dead}}</a></td><td>{{oldest}}</td><td>{{unschedulable}}</td><td>{{desired}}</td>
            <td>{{#frame.canAct}}<form method="post" action="/console/queues/{{name}}/retry-dead" data-confirm="Retry every dead job in {{name}}?">
            <input type="hidden" name="csrf" value="{{frame.csrf}}"><button>Retry all dead</button></form>
            <form method="post" action="/console/queues/{{name}}/purge" data-confirm="Delete the finished jobs of every queue?">
            <input type="hidden" name="csrf" value="{{frame.csrf}}"><button>Purge finished</button></form>{{/frame.canAct}}</td></tr>{{/queues}}
            </table>
            {{/body}}{{/layout}}
            """,
        "jobs": """
            {{<layout}}{{$title}}Jobs{{/title}}{{$body}}
            <h1>Jobs</h1>
            <form class="filters" method="get" action="/console/jobs">
            <label>Queue <select name="queue">{{#queueChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/queueChoices}}</select></label>
            <label>Status <select name="status">{{#statusChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusChoices}}</select></label>
            <label>Pipeline <input name="pipeline" value="{{pipeline}}"></label><label>Batch <input name="batch" value="{{batch}}"></label>
            <button>Filter</button></form>
            {{#progress}}<div class="batch" id="batch"><b>Batch {{id}}</b> {{finished}}/{{total}} finished
            <progress max="{{total}}" value="{{finished}}"></progress> {{summary}}</div>{{/progress}}
            <form method="post" action="/console/jobs/bulk" data-confirm="Apply to the selected jobs?">
            <input type="hidden" name="csrf" value="{{frame.csrf}}">
            <table id="jobs"><tr><th></th><th>Job</th><th>Status</th><th>Pipeline</th><th>Source</th><th>Attempts</th><th>Updated</th><th>Error</th></tr>
            {{#jobs}}<tr data-job="{{id}}"><td><input type="checkbox" name="id" value="{{id}}"></td><td><a href="/console/jobs/{{id}}">{{short}}</a></td>
            <td class="status-{{status}}">{{status}}</td><td>{{pipeline}}</td><td class="key">{{source}}</td><td>{{attempts}}</td><td>{{updated}}</td>
            <td class="error">{{error}}</td></tr>{{/jobs}}</table>
            {{^jobs}}<p>No jobs match.</p>{{/jobs}}
            {{#frame.canAct}}<button name="action" value="retry">Retry selected (dead)</button> <button name="action" value="cancel">Cancel selected</button>{{/frame.canAct}}
            </form>
            {{/body}}{{/layout}}
            """,
        "job": """
            {{<layout}}{{$title}}Job {{job.id}}{{/title}}{{$body}}
            <h1>Job <code>{{job.id}}</code> <span class="status-{{job.status}}" id="status">{{job.status}}</span></h1>
            <table class="facts"><tr><th>Queue</th><td>{{job.queue}}</td></tr><tr><th>Pipeline</th><td>{{pipeline}}</td></tr>
            <tr><th>Source</th><td class="key">{{source}}</td></tr><tr><th>Batch</th><td>{{#job.batch}}<a href="/console/jobs?queue={{job.queue}}&amp;batch={{job.batch}}">{{job.batch}}</a>{{/job.batch}}</td></tr>
            <tr><th>Attempts</th><td>{{job.attempts}} of {{job.maxAttempts}}</td></tr><tr><th>Created</th><td>{{job.created}}</td></tr>
            <tr><th>Updated</th><td>{{job.updated}}</td></tr><tr><th>Runs at</th><td>{{job.runAt}}</td></tr>
            <tr><th>Worker</th><td>{{job.claimedBy}}</td></tr>{{#job.error}}<tr><th>Error</th><td class="error" id="error">{{job.error}}</td></tr>{{/job.error}}</table>
            {{#frame.canAct}}{{#isDead}}<form method="post" action="/console/jobs/{{job.id}}/retry" data-confirm="Retry this job?"><input type="hidden" name="csrf" value="{{frame.csrf}}"><button id="retry">Retry</button></form>{{/isDead}}
            {{#isOpen}}<form method="post" action="/console/jobs/{{job.id}}/cancel" data-confirm="Cancel this job?"><input type="hidden" name="csrf" value="{{frame.csrf}}"><button id="cancel">Cancel</button></form>{{/isOpen}}{{/frame.canAct}}
            <h2>Before and after</h2><div class="grid" id="images">
            {{#sourceImage}}<figure><img src="{{sourceImage}}" alt="source"><figcaption>source</figcaption></figure>{{/sourceImage}}
            {{#outputs}}<figure><img src="{{url}}" alt="{{name}}"><figcaption>{{name}}: {{width}}×{{height}} {{format}}, {{bytes}} bytes</figcaption></figure>{{/outputs}}
            </div>
            {{#hasChecks}}<h2>Checks</h2>{{/hasChecks}}<ul id="checks">{{#checks}}<li>{{.}}</li>{{/checks}}</ul>
            <h2>Webhook deliveries</h2>{{^webhooks}}<p>None.</p>{{/webhooks}}<ul id="webhooks">{{#webhooks}}<li>{{status}} after {{attempts}} attempts {{#error}}({{error}}){{/error}}</li>{{/webhooks}}</ul>
            <h2>Result</h2><pre id="result">{{result}}</pre><h2>Payload</h2><pre>{{payload}}</pre>
            {{/body}}{{/layout}}
            """,
        "workers": """
            {{<layout}}{{$title}}Workers{{/title}}{{$body}}
            <h1>Workers</h1><p id="leader">Scheduler: {{#leader}}<b>{{leader}}</b>{{/leader}}{{^leader}}none leads (workers pull){{/leader}}, strategy {{strategy}}.</p>
            <table id="workers"><tr><th>Worker</th><th>Host</th><th>State</th><th>Slots</th><th>Load</th><th>Speed</th><th>GPUs</th><th>Labels</th><th>Last heartbeat</th><th></th></tr>
            {{#workers}}<tr data-worker="{{id}}"><td>{{id}}</td><td>{{host}}</td><td>{{state}}</td><td>{{inFlight}}/{{slots}}</td><td>{{cpu}}</td><td>{{speed}}</td>
            <td>{{#gpus}}<div>{{index}}: {{model}} {{memory}}</div>{{/gpus}}</td><td>{{labels}}</td><td>{{lastSeen}}</td>
            <td>{{#frame.canAct}}{{#canDrain}}<form method="post" action="/console/workers/{{id}}/drain" data-confirm="Drain {{id}}? It finishes its jobs and claims no more.">
            <input type="hidden" name="csrf" value="{{frame.csrf}}"><button class="drain">Drain</button></form>{{/canDrain}}{{/frame.canAct}}</td></tr>{{/workers}}</table>
            {{^workers}}<p>No worker has registered.</p>{{/workers}}
            <h2>Scaling</h2><table id="scaling"><tr><th>Queue</th><th>Depth</th><th>In flight</th><th>Unschedulable</th><th>Desired workers</th></tr>
            {{#scaling}}<tr><td>{{name}}</td><td>{{depth}}</td><td>{{inFlight}}</td><td>{{unschedulable}}</td><td>{{desired}}</td></tr>{{/scaling}}</table>
            {{/body}}{{/layout}}
            """,
        "images": """
            {{<layout}}{{$title}}Images{{/title}}{{$body}}
            <h1>Images</h1>
            <form class="filters" method="get" action="/console/images"><label>Prefix <input name="prefix" value="{{prefix}}"></label><button>Browse</button></form>
            <div class="grid" id="objects">{{#objects}}<figure><a href="{{url}}"><img src="{{url}}" alt="{{key}}" loading="lazy"></a>
            <figcaption class="key">{{key}}<br>{{size}} bytes</figcaption></figure>{{/objects}}</div>
            {{^objects}}<p>No objects under this prefix.</p>{{/objects}}
            {{#next}}<p><a href="/console/images?prefix={{prefix}}&amp;after={{next}}">Next page</a></p>{{/next}}
            {{#search}}<h2>Find duplicates</h2><form method="post" action="/v1/search" enctype="multipart/form-data">
            <input type="file" name="file" accept="image/*"><button>Search</button></form><p class="hint">Answers with the matches as JSON.</p>{{/search}}
            {{/body}}{{/layout}}
            """,
        "playground": """
            {{<layout}}{{$title}}Playground{{/title}}{{$body}}
            <h1>URL playground</h1>
            <form class="filters" method="get" action="/console/playground">
            <label>Source <input name="source" value="{{source}}" size="40"></label><label>Options <input name="options" value="{{options}}" size="40"></label>
            <button>Render</button></form>
            {{#url}}<p>URL: <code id="signed-url">{{url}}</code> <button type="button" data-copy="signed-url">Copy</button></p>
            <figure><img id="result" src="{{url}}" alt="result"><figcaption id="result-size" data-size-of="{{url}}"></figcaption></figure>{{/url}}
            {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
            {{/body}}{{/layout}}
            """,
        "pipelines": """
            {{<layout}}{{$title}}Pipelines{{/title}}{{$body}}
            <h1>Pipelines</h1>
            <table id="pipelines"><tr><th>Name</th><th>Version</th><th>Features</th><th>Outputs</th><th>Checks</th><th>Models</th></tr>
            {{#pipelines}}<tr><td>{{name}}</td><td>{{version}}</td><td>{{features}}</td><td>{{outputs}}</td><td>{{checks}}</td><td>{{models}}</td></tr>{{/pipelines}}</table>
            <h2>Validate a spec</h2><form method="post" action="/console/pipelines/validate"><input type="hidden" name="csrf" value="{{frame.csrf}}">
            <textarea name="spec" rows="12" cols="80">{{spec}}</textarea><br><button>Validate</button></form>
            {{#verdict}}<p class="{{verdictClass}}" id="verdict">{{verdict}}</p>{{/verdict}}
            {{/body}}{{/layout}}
            """,
        "audit": """
            {{<layout}}{{$title}}Audit log{{/title}}{{$body}}
            <h1>Audit log</h1><table id="audit"><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Detail</th></tr>
            {{#entries}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td class="key">{{target}}</td><td>{{detail}}</td></tr>{{/entries}}</table>
            {{^entries}}<p>Nothing yet.</p>{{/entries}}
            {{/body}}{{/layout}}
            """,
    ]
}
