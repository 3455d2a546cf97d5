<?php
/**
 * Plugin Name: Rehearse shop fixture
 * Description: A shop-shaped catalogue with WooCommerce's URL shapes (/product/…, /product-category/…), without WooCommerce. Must-use plugin of the local replica; source in infra/local/wordpress/.
 */

defined('ABSPATH') || exit;

add_action('init', function () {
    register_taxonomy('product_cat', ['product'], [
        'label' => 'Product categories',
        'public' => true,
        'hierarchical' => true,
        'show_in_rest' => false,
        'rewrite' => ['slug' => 'product-category', 'with_front' => false],
    ]);
    register_post_type('product', [
        'label' => 'Products',
        'public' => true,
        'has_archive' => 'shop',
        'show_in_rest' => false,
        'supports' => ['title', 'editor', 'excerpt'],
        'taxonomies' => ['product_cat'],
        'rewrite' => ['slug' => 'product', 'with_front' => false],
    ]);
});

function rehearse_price_html($post_id) {
    $price = get_post_meta($post_id, '_price', true);
    if ($price === '') {
        return '';
    }
    return '<p class="price">$' . esc_html(number_format((float) $price, 2)) . '</p>';
}

// The product's picture (an image in the shared uploads dir, written by seed.php): pages
// reference it so a browser-like client fetches it, as it fetches a real shop's product photos.
function rehearse_image_html($post_id) {
    $src = get_post_meta($post_id, '_rehearse_image', true);
    return $src ? '<img class="rehearse-product-image" src="' . esc_url($src) . '" width="160" height="160" alt="">' : '';
}

// Product page: picture and price above the description. Category and search pages: picture and
// price with each product's excerpt.
add_filter('the_content', function ($content) {
    return get_post_type() === 'product' ? rehearse_image_html(get_the_ID()) . rehearse_price_html(get_the_ID()) . $content : $content;
});
add_filter('the_excerpt', function ($excerpt) {
    return get_post_type() === 'product' ? rehearse_image_html(get_the_ID()) . $excerpt . rehearse_price_html(get_the_ID()) : $excerpt;
});

// A category page lists all its products on one page, as a shop's category page would.
add_action('pre_get_posts', function ($query) {
    if (!is_admin() && $query->is_main_query() && $query->is_tax('product_cat')) {
        $query->set('posts_per_page', 48);
    }
});

// The home page is the shop's front: the newest products instead of blog posts.
add_action('pre_get_posts', function ($query) {
    if (!is_admin() && $query->is_main_query() && $query->is_home()) {
        $query->set('post_type', 'product');
        $query->set('posts_per_page', 12);
    }
});

// Every page carries the category navigation, as a shop's header does; the object cache keeps
// the term query cheap.
add_action('wp_body_open', function () {
    $terms = get_terms(['taxonomy' => 'product_cat', 'hide_empty' => false]);
    if (is_wp_error($terms) || !$terms) {
        return;
    }
    echo '<nav class="rehearse-shop-categories" aria-label="Product categories"><ul>';
    foreach ($terms as $term) {
        echo '<li><a href="' . esc_url(get_term_link($term)) . '">' . esc_html($term->name) . '</a></li>';
    }
    echo '</ul></nav>';
});
