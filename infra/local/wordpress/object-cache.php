<?php
// WordPress persistent object cache on Redis (php-redis, unix socket): ElastiCache's job on AWS.
// Debian ships no drop-in. Keys are "wp:<group>:<key>"; values PHP-serialized; a per-request
// runtime copy saves round trips. Without Redis it degrades to a per-request cache.
require_once __DIR__ . '/rehearse-redis.php';

class WP_Object_Cache {
    const PREFIX = 'wp:';
    private $local = [];
    private $global_groups = [];
    private $non_persistent = [];
    public $cache_hits = 0;
    public $cache_misses = 0;

    private function redis() {
        return rehearse_redis();
    }

    private function rkey($key, $group) {
        return self::PREFIX . $group . ':' . $key;
    }

    private function persistent($group) {
        return !isset($this->non_persistent[$group]) && $this->redis() !== null;
    }

    private static function copy($data) {
        return is_object($data) ? clone $data : $data;
    }

    public function get($key, $group = 'default', $force = false, &$found = null) {
        $group = $group ?: 'default';
        if (!$force && isset($this->local[$group]) && array_key_exists($key, $this->local[$group])) {
            $found = true;
            $this->cache_hits++;
            return self::copy($this->local[$group][$key]);
        }
        if ($this->persistent($group)) {
            $raw = $this->redis()->get($this->rkey($key, $group));
            if ($raw !== false) {
                $value = unserialize($raw);
                $this->local[$group][$key] = $value;
                $found = true;
                $this->cache_hits++;
                return self::copy($value);
            }
        }
        $found = false;
        $this->cache_misses++;
        return false;
    }

    public function get_multiple($keys, $group = 'default', $force = false) {
        $group = $group ?: 'default';
        $out = [];
        $fetch = [];
        foreach ($keys as $key) {
            if (!$force && isset($this->local[$group]) && array_key_exists($key, $this->local[$group])) {
                $out[$key] = self::copy($this->local[$group][$key]);
            } else {
                $fetch[] = $key;
                $out[$key] = false;
            }
        }
        if ($fetch && $this->persistent($group)) {
            $values = $this->redis()->mGet(array_map(function ($k) use ($group) { return $this->rkey($k, $group); }, $fetch));
            foreach ($fetch as $i => $key) {
                if (isset($values[$i]) && $values[$i] !== false) {
                    $value = unserialize($values[$i]);
                    $this->local[$group][$key] = $value;
                    $out[$key] = self::copy($value);
                }
            }
        }
        return $out;
    }

    public function set($key, $data, $group = 'default', $expire = 0) {
        $group = $group ?: 'default';
        $this->local[$group][$key] = self::copy($data);
        if ($this->persistent($group)) {
            $k = $this->rkey($key, $group);
            $v = serialize($data);
            return (bool) ($expire > 0 ? $this->redis()->setex($k, (int) $expire, $v) : $this->redis()->set($k, $v));
        }
        return true;
    }

    public function add($key, $data, $group = 'default', $expire = 0) {
        if (wp_suspend_cache_addition()) {
            return false;
        }
        $group = $group ?: 'default';
        if (isset($this->local[$group]) && array_key_exists($key, $this->local[$group])) {
            return false;
        }
        if ($this->persistent($group)) {
            $opts = $expire > 0 ? ['nx', 'ex' => (int) $expire] : ['nx'];
            if (!$this->redis()->set($this->rkey($key, $group), serialize($data), $opts)) {
                return false;
            }
        }
        $this->local[$group][$key] = self::copy($data);
        return true;
    }

    public function replace($key, $data, $group = 'default', $expire = 0) {
        $found = false;
        $this->get($key, $group, false, $found);
        return $found ? $this->set($key, $data, $group, $expire) : false;
    }

    public function delete($key, $group = 'default') {
        $group = $group ?: 'default';
        unset($this->local[$group][$key]);
        if ($this->persistent($group)) {
            return $this->redis()->del($this->rkey($key, $group)) > 0;
        }
        return true;
    }

    public function incr($key, $offset = 1, $group = 'default') {
        $value = $this->get($key, $group);
        if ($value === false) {
            return false;
        }
        $value = max(0, (is_numeric($value) ? (int) $value : 0) + (int) $offset);
        $this->set($key, $value, $group);
        return $value;
    }

    /** Deletes only WordPress's keys: carts and cached pages share this Redis. */
    public function flush() {
        $this->local = [];
        $redis = $this->redis();
        if ($redis === null) {
            return true;
        }
        $it = null;
        do {
            $keys = $redis->scan($it, self::PREFIX . '*', 1000);
            if ($keys) {
                $redis->del($keys);
            }
        } while ($it > 0);
        return true;
    }

    public function flush_runtime() {
        $this->local = [];
        return true;
    }

    public function add_global_groups($groups) {
        foreach ((array) $groups as $g) {
            $this->global_groups[$g] = true;
        }
    }

    public function add_non_persistent_groups($groups) {
        foreach ((array) $groups as $g) {
            $this->non_persistent[$g] = true;
        }
    }

    public function stats() {
        echo "<p>Cache hits: {$this->cache_hits}, misses: {$this->cache_misses}</p>";
    }
}

function wp_cache_init() {
    $GLOBALS['wp_object_cache'] = new WP_Object_Cache();
}
function wp_cache_add($key, $data, $group = '', $expire = 0) {
    return $GLOBALS['wp_object_cache']->add($key, $data, $group, (int) $expire);
}
function wp_cache_add_multiple(array $data, $group = '', $expire = 0) {
    $r = [];
    foreach ($data as $k => $v) {
        $r[$k] = wp_cache_add($k, $v, $group, $expire);
    }
    return $r;
}
function wp_cache_replace($key, $data, $group = '', $expire = 0) {
    return $GLOBALS['wp_object_cache']->replace($key, $data, $group, (int) $expire);
}
function wp_cache_set($key, $data, $group = '', $expire = 0) {
    return $GLOBALS['wp_object_cache']->set($key, $data, $group, (int) $expire);
}
function wp_cache_set_multiple(array $data, $group = '', $expire = 0) {
    $r = [];
    foreach ($data as $k => $v) {
        $r[$k] = wp_cache_set($k, $v, $group, $expire);
    }
    return $r;
}
function wp_cache_get($key, $group = '', $force = false, &$found = null) {
    return $GLOBALS['wp_object_cache']->get($key, $group, $force, $found);
}
function wp_cache_get_multiple($keys, $group = '', $force = false) {
    return $GLOBALS['wp_object_cache']->get_multiple($keys, $group, $force);
}
function wp_cache_delete($key, $group = '') {
    return $GLOBALS['wp_object_cache']->delete($key, $group);
}
function wp_cache_delete_multiple(array $keys, $group = '') {
    $r = [];
    foreach ($keys as $k) {
        $r[$k] = wp_cache_delete($k, $group);
    }
    return $r;
}
function wp_cache_incr($key, $offset = 1, $group = '') {
    return $GLOBALS['wp_object_cache']->incr($key, $offset, $group);
}
function wp_cache_decr($key, $offset = 1, $group = '') {
    return $GLOBALS['wp_object_cache']->incr($key, -$offset, $group);
}
function wp_cache_flush() {
    return $GLOBALS['wp_object_cache']->flush();
}
function wp_cache_flush_runtime() {
    return $GLOBALS['wp_object_cache']->flush_runtime();
}
function wp_cache_supports($feature) {
    return in_array($feature, ['add_multiple', 'set_multiple', 'get_multiple', 'delete_multiple', 'flush_runtime'], true);
}
function wp_cache_close() {
    return true;
}
function wp_cache_add_global_groups($groups) {
    $GLOBALS['wp_object_cache']->add_global_groups($groups);
}
function wp_cache_add_non_persistent_groups($groups) {
    $GLOBALS['wp_object_cache']->add_non_persistent_groups($groups);
}
function wp_cache_switch_to_blog($blog_id) {
}
function wp_cache_reset() {
    $GLOBALS['wp_object_cache']->flush_runtime();
}
