// The race page: the race component filling the page, its setup in the URL hash.

import "./crash-notice.js";
import { createApi } from "../core/api.js";
import { createRace } from "../race/race.js";
import { hashSync } from "./hash-sync.js";

const preloaded = JSON.parse(document.getElementById("page-data").textContent);

createRace(document.getElementById("race-app"), { api: createApi("", preloaded), sync: hashSync(window) })
  .then(() => { document.body.dataset.ready = "true"; });
